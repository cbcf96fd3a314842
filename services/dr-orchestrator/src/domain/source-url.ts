// Source connection strings: validated, shown redacted, turned into libpq settings. At rest they
// are sealed with the kit's sealSecret (context SOURCE_URL_SECRET_CONTEXT).

/** The sealSecret context of stored source URLs: a value sealed for another purpose never opens as one. */
export const SOURCE_URL_SECRET_CONTEXT = 'dr.source-url';

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
