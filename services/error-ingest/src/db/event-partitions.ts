// SQL for the month partitions of errors.events (events_YYYYMM, migration 0004): list, create
// (serialised across instances), and drop a month with its event subjects.
import type { Pool, PoolClient } from 'pg';
import { withTransaction } from '@vigil/service-kit';
import { monthOfSuffix, type Month } from '../domain/months.js';

type Db = Pick<PoolClient, 'query'>;
const LOCK = "hashtext('errors.events.partitions')";

export async function listEventPartitions(db: Db): Promise<Month[]> {
  const { rows } = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'errors.events'::regclass ORDER BY c.relname`,
  );
  return rows.map((r) => monthOfSuffix(r.name.replace(/^events_/, ''))).filter((m): m is Month => !!m);
}

/** Creates the missing partitions of `months`; returns the suffixes that exist afterwards. */
export function ensureEventPartitions(pool: Pool, months: Month[]): Promise<string[]> {
  return withTransaction(pool, async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(${LOCK})`);
    const existing = new Set((await listEventPartitions(tx)).map((m) => m.suffix));
    for (const m of months) {
      if (existing.has(m.suffix)) continue;
      // suffix and bounds come from monthOf (digits and ISO dates), never from input.
      await tx.query(`CREATE TABLE errors.events_${m.suffix} PARTITION OF errors.events FOR VALUES FROM ('${m.start.toISOString()}') TO ('${m.end.toISOString()}')`);
      existing.add(m.suffix);
    }
    return [...existing];
  });
}

/** Drops one month: its event subjects first (their foreign key would refuse the detach), then the partition. */
export function dropEventPartition(pool: Pool, month: Month): Promise<void> {
  return withTransaction(pool, async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(${LOCK})`);
    await tx.query(`DELETE FROM errors.event_subjects WHERE received_at >= $1 AND received_at < $2`, [month.start, month.end]);
    await tx.query(`ALTER TABLE errors.events DETACH PARTITION errors.events_${month.suffix}`);
    await tx.query(`DROP TABLE errors.events_${month.suffix}`);
  });
}

/** The longest retention of any project, in days (0 without projects). */
export async function longestRetentionDays(db: Db): Promise<number> {
  const { rows } = await db.query<{ days: number }>(`SELECT coalesce(max(retention_days), 0)::int AS days FROM errors.projects`);
  return rows[0]!.days;
}
