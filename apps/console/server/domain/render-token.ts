// Render tokens: what lets the console's own headless Chromium open one report page, once, for a
// minute, without a user's cookie. Only the SHA-256 is stored; the token travels in the URL fragment
// (never sent to a server or written to an access log) and is presented once in a header.
import { createHash, randomBytes } from 'node:crypto';

export const RENDER_TOKEN_TTL_MS = 60_000;

export function newRenderToken(): { token: string; hash: Buffer } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashRenderToken(token) };
}

export const hashRenderToken = (token: string): Buffer => createHash('sha256').update(token).digest();

export const renderTokenShape = (token: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(token);
