// BEGIN/COMMIT around a unit of work, ROLLBACK on failure.
import type { Pool, PoolClient } from 'pg';
import { AppError } from '@vigil/service-kit';

export async function inTransaction<T>(pool: Pool, work: (tx: PoolClient) => Promise<T>): Promise<T> {
  const tx = await pool.connect().catch((err: Error) => {
    // Every connection busy for the pool's timeout: tell the client to come back (Alertmanager clients retry).
    if (/timeout exceeded when trying to connect/.test(err.message)) throw new AppError(503, 'ALERTING_BUSY', 'the database is saturated; retry shortly', { retryAfterSeconds: 1 });
    throw err;
  });
  try {
    await tx.query('BEGIN');
    const out = await work(tx);
    await tx.query('COMMIT');
    return out;
  } catch (err) {
    await tx.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    tx.release();
  }
}
