// Idempotent consumers: the inbox row and the handler's effect commit together, so a
// redelivered event (after a crash, a rebalance or an outbox re-send) has no second effect.
import type { Pool, PoolClient } from 'pg';
import type { Envelope } from './define.js';

export interface InboxOptions {
  pool: Pool;
  schema: string;
  /** Name of the consuming handler; one event can be processed once per consumer. */
  consumer: string;
}

/** Runs `effect` in a transaction unless this consumer already processed the event. Returns false for a duplicate. */
export async function handleOnce(o: InboxOptions, event: Pick<Envelope, 'id'>, effect: (tx: PoolClient) => Promise<void>): Promise<boolean> {
  const client = await o.pool.connect();
  try {
    await client.query('BEGIN');
    const { rowCount } = await client.query(
      `INSERT INTO ${o.schema}.inbox (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
      [o.consumer, event.id],
    );
    if (!rowCount) {
      await client.query('ROLLBACK');
      return false;
    }
    await effect(client);
    await client.query('COMMIT');
    return true;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
