// Forward-only migrations, one PostgreSQL schema per owner. Library migrations (outbox/inbox)
// run first, then the owner's numbered files: `NNNN_name.sql` (`${schema}` is replaced by the
// schema name) or `NNNN_name.ts` exporting `up(tx, ctx)` for data migrations that need code or
// config (e.g. re-sealing stored secrets). An advisory lock serialises concurrent boots; each
// migration commits with its bookkeeping row, in its own transaction.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type pg from 'pg';

export interface MigrationLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

/** What a code migration gets besides its transaction. */
export interface MigrationContext {
  config: Record<string, unknown>;
  log: MigrationLogger;
}

export type CodeMigration = (tx: pg.PoolClient, ctx: MigrationContext) => Promise<void>;

export interface Migration {
  id: string;
  /** SQL text (for `.sql` files and library migrations). */
  sql?: string;
  /** Code (for `.ts` / `.js` files). */
  up?: CodeMigration;
}

export interface MigrateOptions {
  schema: string;
  /** Folder of NNNN_name.sql / NNNN_name.ts files. */
  dir?: string;
  library?: { id: string; sql: (schema: string) => string }[];
  /** Handed to code migrations. */
  context?: Partial<MigrationContext>;
  /**
   * Stop before the owner's migration numbered `until` (e.g. '0003'): it and later ones stay
   * pending. Library migrations always run. For data-migration tests: migrate to just before,
   * insert old data, then migrate the rest.
   */
  until?: string;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]*$/;
const FILE = /^(\d{4})_[\w-]+\.(sql|ts|js|mjs)$/;
const silent: MigrationLogger = { info: () => undefined, warn: () => undefined };

export async function loadMigrations(o: MigrateOptions): Promise<Migration[]> {
  const lib: Migration[] = (o.library ?? []).map((m) => ({ id: m.id, sql: m.sql(o.schema) }));
  if (!o.dir) return lib;
  const dir = o.dir;
  const files = (await readdir(dir)).filter((f) => FILE.test(f) && !f.endsWith('.d.ts')).sort();
  if (o.until !== undefined && !/^\d{4}$/.test(o.until)) throw new Error(`migrate: until must be a four-digit migration number, got ${o.until}`);
  const own = await Promise.all(
    files
      .filter((f) => o.until === undefined || FILE.exec(f)![1]! < o.until)
      .map(async (f): Promise<Migration> => {
        const id = f.replace(/\.(sql|ts|js|mjs)$/, '');
        if (f.endsWith('.sql')) return { id, sql: (await readFile(path.join(dir, f), 'utf8')).replaceAll('${schema}', o.schema) };
        const mod = (await import(pathToFileURL(path.join(dir, f)).href)) as { up?: unknown };
        if (typeof mod.up !== 'function') throw new Error(`migration ${f} must export async function up(tx, ctx)`);
        return { id, up: mod.up as CodeMigration };
      }),
  );
  const seen = new Set<string>();
  for (const m of own) {
    if (seen.has(m.id)) throw new Error(`migration ${o.schema}/${m.id} exists twice (two files with one name)`);
    seen.add(m.id);
  }
  return [...lib, ...own];
}

/** Applies pending migrations; returns the ids applied now. */
export async function migrate(pool: pg.Pool, o: MigrateOptions): Promise<string[]> {
  if (!SCHEMA_NAME.test(o.schema)) throw new Error(`invalid schema name ${o.schema}`);
  const migrations = await loadMigrations(o);
  const ctx: MigrationContext = { config: o.context?.config ?? {}, log: o.context?.log ?? silent };
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`vigil-migrate:${o.schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${o.schema}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${o.schema}.schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const { rows } = await client.query<{ id: string }>(`SELECT id FROM ${o.schema}.schema_migrations`);
    const done = new Set(rows.map((r) => r.id));
    for (const m of migrations) {
      if (done.has(m.id)) continue;
      await client.query('BEGIN');
      try {
        await client.query(`SET LOCAL search_path TO ${o.schema}, public`);
        if (m.up) await m.up(client, ctx);
        else await client.query(m.sql ?? '');
        await client.query(`INSERT INTO ${o.schema}.schema_migrations (id) VALUES ($1)`, [m.id]);
        await client.query('COMMIT');
        applied.push(m.id);
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${o.schema}/${m.id} failed: ${(err as Error).message}`, { cause: err });
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`vigil-migrate:${o.schema}`]).catch(() => undefined);
    client.release();
  }
  return applied;
}
