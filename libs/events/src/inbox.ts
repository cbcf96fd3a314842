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

/**
 * Inbox for a batch, inside the caller's transaction: records every event not yet processed by
 * this consumer and returns those (first occurrence of each id, order kept). Apply the effects of
 * exactly the returned events in the same transaction, so a redelivered batch has no second effect.
 */
export async function claimInbox<E extends Pick<Envelope, 'id'>>(tx: PoolClient, o: Omit<InboxOptions, 'pool'>, events: readonly E[]): Promise<E[]> {
  if (!events.length) return [];
  const { rows } = await tx.query<{ event_id: string }>(
    `INSERT INTO ${o.schema}.inbox (consumer, event_id) SELECT $1, id FROM unnest($2::uuid[]) AS u(id) ON CONFLICT DO NOTHING RETURNING event_id`,
    [o.consumer, events.map((e) => e.id)],
  );
  const fresh = new Set(rows.map((r) => r.event_id));
  return events.filter((e) => fresh.delete(e.id.toLowerCase()));
}

/**
 * handleOnce for a batch: one transaction holding the inbox rows of the new events and `effect`
 * applied to exactly those. Returns the new events ([] when all were duplicates; `effect` is then not called).
 */
export async function handleOnceBatch<E extends Pick<Envelope, 'id'>>(o: InboxOptions, events: readonly E[], effect: (tx: PoolClient, fresh: E[]) => Promise<void>): Promise<E[]> {
  const client = await o.pool.connect();
  try {
    await client.query('BEGIN');
    const fresh = await claimInbox(client, o, events);
    if (fresh.length) await effect(client, fresh);
    await client.query('COMMIT');
    return fresh;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
