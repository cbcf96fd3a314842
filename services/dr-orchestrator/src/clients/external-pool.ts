// Short-lived pools on databases Vigil does not own (a policy's source database, a scratch
// database for restore checks), so that their transactions go through the kit's
// withTransaction like the service's own. Sessions carry the run's application_name, which is
// how a later run finds and ends a dead run's leftovers.
import pg from 'pg';

export async function withExternalPool<T>(url: string, applicationName: string, size: number, fn: (pool: pg.Pool) => Promise<T>): Promise<T> {
  const pool = new pg.Pool({ connectionString: url, application_name: applicationName, max: size, connectionTimeoutMillis: 10_000 });
  pool.on('error', () => undefined);
  try {
    return await fn(pool);
  } finally {
    await pool.end().catch(() => undefined);
  }
}

/** Opens `n` sessions now (a connection failure surfaces here, not in the first task) and returns them to the pool. */
export async function openSessions(pool: pg.Pool, n: number): Promise<void> {
  const clients = await Promise.all(Array.from({ length: n }, () => pool.connect()));
  for (const c of clients) c.release();
}

/** The transaction options of a consistent read of a whole database (pg_dump's snapshot, a schema fingerprint). */
export const SNAPSHOT_READ = { isolation: 'repeatable read', readOnly: true } as const;
