// Session lifetime: an idle expiry that sliding activity extends, capped by an absolute expiry.
import { createHash, randomBytes } from 'node:crypto';

export interface SessionTimes {
  createdAt: Date;
  lastSeenAt: Date;
  absoluteExpiresAt: Date;
}

export interface SessionPolicy {
  idleMs: number;
  absoluteMs: number;
}

/** When the session ends if nothing else happens: idle timeout from the last activity, never past the absolute end. */
export function expiresAt(s: SessionTimes, policy: SessionPolicy): Date {
  return new Date(Math.min(s.lastSeenAt.getTime() + policy.idleMs, s.absoluteExpiresAt.getTime()));
}

export const isExpired = (s: SessionTimes, policy: SessionPolicy, now = new Date()) => expiresAt(s, policy).getTime() <= now.getTime();

/** Activity is written at most this often (a request does not cost a write), and well within the idle timeout. */
export const touchEvery = (policy: SessionPolicy) => Math.min(30_000, policy.idleMs / 4);

export function newSessionToken(): { token: string; hash: Buffer } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashSessionToken(token) };
}

export const hashSessionToken = (token: string) => createHash('sha256').update(token).digest();

export const newCsrfToken = () => randomBytes(24).toString('base64url');
