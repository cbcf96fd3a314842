// Source connection strings: validated, shown redacted, and encrypted at rest (AES-256-GCM).
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export interface SourceParts {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

/** Parses a postgres:// URL; returns a reason string when it is unusable. */
export function parseSourceUrl(url: string): SourceParts | string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'sourceUrl is not a valid URL';
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') return 'sourceUrl must use the postgres:// scheme';
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!database) return 'sourceUrl must name a database';
  if (!u.hostname) return 'sourceUrl must name a host';
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : 5432,
    user: decodeURIComponent(u.username || 'postgres'),
    password: decodeURIComponent(u.password),
    database,
  };
}

/** The URL without its password, for APIs and documents. */
export function redactSourceUrl(p: SourceParts): string {
  return `postgres://${encodeURIComponent(p.user)}${p.password ? ':***' : ''}@${p.host}:${p.port}/${encodeURIComponent(p.database)}`;
}

/** Same server, another database (scratch databases live beside the source unless configured). */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

/** libpq environment for pg_dump/pg_restore: keeps the password out of the process list. */
export function libpqEnv(p: SourceParts, applicationName: string): Record<string, string> {
  return {
    PGHOST: p.host,
    PGPORT: String(p.port),
    PGUSER: p.user,
    PGDATABASE: p.database,
    PGAPPNAME: applicationName,
    ...(p.password ? { PGPASSWORD: p.password } : {}),
  };
}

const keyOf = (secret: string) => createHash('sha256').update(`vigil-dr-source:${secret}`).digest();

export function encryptSecret(plain: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(secret), iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `v1:${iv.toString('base64')}:${cipher.getAuthTag().toString('base64')}:${body.toString('base64')}`;
}

export function decryptSecret(sealed: string, secret: string): string {
  const [version, iv, tag, body] = sealed.split(':');
  if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('sealed secret has an unknown format');
  const decipher = createDecipheriv('aes-256-gcm', keyOf(secret), Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
}
