// Forward-only SQL migrations, one PostgreSQL schema per owner. Library migrations
// (outbox/inbox) run first, then the owner's numbered .sql files. An advisory lock
// serialises concurrent boots; each migration commits with its bookkeeping row.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';

export interface Migration {
  id: string;
  sql: string;
}

export interface MigrateOptions {
  schema: string;
  /** Folder of NNNN_name.sql files; `${schema}` in them is replaced by the schema name. */
  dir?: string;
  library?: { id: string; sql: (schema: string) => string }[];
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]*$/;

export async function loadMigrations(o: MigrateOptions): Promise<Migration[]> {
  const lib = (o.library ?? []).map((m) => ({ id: m.id, sql: m.sql(o.schema) }));
  if (!o.dir) return lib;
  const files = (await readdir(o.dir)).filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f)).sort();
  const own = await Promise.all(
    files.map(async (f) => ({ id: f.replace(/\.sql$/, ''), sql: (await readFile(path.join(o.dir!, f), 'utf8')).replaceAll('${schema}', o.schema) })),
  );
  return [...lib, ...own];
}

/** Applies pending migrations; returns the ids applied now. */
export async function migrate(pool: pg.Pool, o: MigrateOptions): Promise<string[]> {
  if (!SCHEMA_NAME.test(o.schema)) throw new Error(`invalid schema name ${o.schema}`);
  const migrations = await loadMigrations(o);
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
        await client.query(m.sql);
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
