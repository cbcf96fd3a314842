// Secrets at rest and in logs: one sealed format (versioned, AES-256-GCM under an HKDF-derived
// key) and one redactor, for every service and the console.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

export class SecretError extends Error {
  override readonly name = 'SecretError';
}

const VERSION = 'vs1:';
const NONCE = 12;
const TAG = 16;

function deriveKey(key: string, context: string): Buffer {
  if (!key) throw new SecretError('the sealing key is empty');
  return Buffer.from(hkdfSync('sha256', Buffer.from(key, 'utf8'), Buffer.from('vigil-seal'), Buffer.from(context, 'utf8'), 32));
}

/**
 * Seals `plaintext` as `vs1:` + base64url(nonce | ciphertext | tag). `context` names what the
 * secret is for (e.g. `perf.target-dsn`): a value sealed for one context never opens in another.
 */
export function sealSecret(plaintext: string, key: string, context = ''): string {
  const nonce = randomBytes(NONCE);
  const cipher = createCipheriv('aes-256-gcm', deriveKey(key, context), nonce);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return VERSION + Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64url');
}

/** True when `value` looks like the output of sealSecret (any version this code knows). */
export function isSealed(value: string): boolean {
  return value.startsWith(VERSION);
}

/** Opens a sealed value; throws SecretError on a wrong key or context, a tampered value or an unknown version. */
export function openSecret(sealed: string, key: string, context = ''): string {
  if (!sealed.startsWith(VERSION)) throw new SecretError(`unknown sealed-secret format (expected the ${VERSION} prefix)`);
  const raw = Buffer.from(sealed.slice(VERSION.length), 'base64url');
  if (raw.length < NONCE + TAG) throw new SecretError('sealed secret is truncated');
  const decipher = createDecipheriv('aes-256-gcm', deriveKey(key, context), raw.subarray(0, NONCE));
  decipher.setAuthTag(raw.subarray(raw.length - TAG));
  try {
    return Buffer.concat([decipher.update(raw.subarray(NONCE, raw.length - TAG)), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretError('sealed secret does not open: wrong key or context, or the value was altered');
  }
}

const SECRET_PARAMS = /^(password|passwd|pass|pwd|secret|token|api[-_]?key|sslpassword|access[-_]?key)$/i;

/**
 * A URL fit for logs and APIs: the password (and password-like query parameters) replaced by
 * `***`, e.g. `postgres://user:***@host:5432/db`. A string that is not a URL becomes `(unparseable)`.
 */
export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return '(unparseable)';
  }
  if (u.password) u.password = '***';
  for (const name of [...u.searchParams.keys()]) if (SECRET_PARAMS.test(name)) u.searchParams.set(name, '***');
  // URLSearchParams encodes '*' as-is but the setter may percent-encode; keep the marker readable.
  return u.toString().replaceAll('%2A%2A%2A', '***');
}

/** Replaces every occurrence of each secret value (and its URL-encoded form) in `text` with `[redacted]`. */
export function redactSecrets(text: string, secrets: readonly (string | undefined | null)[]): string {
  let out = text;
  const values = new Set<string>();
  for (const s of secrets) {
    if (!s || s.length < 3) continue; // masking "a" or "" would shred the text and hide nothing
    values.add(s);
    const encoded = encodeURIComponent(s);
    if (encoded !== s) values.add(encoded);
  }
  for (const v of [...values].sort((a, b) => b.length - a.length)) out = out.split(v).join('[redacted]');
  return out;
}
