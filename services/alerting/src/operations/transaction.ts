// BEGIN/COMMIT around a unit of work, ROLLBACK on failure.
import type { Pool, PoolClient } from 'pg';
import { busy } from '../errors.js';

export async function inTransaction<T>(pool: Pool, work: (tx: PoolClient) => Promise<T>): Promise<T> {
  const tx = await pool.connect().catch((err: Error) => {
    if (/timeout exceeded when trying to connect/.test(err.message)) throw busy();
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
