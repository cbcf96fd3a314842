// SQL for retention: events past their project's retention, old minute buckets and inbox rows.
import type { PoolClient } from 'pg';

/** Deletes events older than their project's retention (the partitions still holding newer rows); returns how many. */
export async function purgeExpiredEvents(db: Pick<PoolClient, 'query'>, batch = 5000): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM errors.events WHERE (event_id, received_at) IN (
       SELECT e.event_id, e.received_at FROM errors.events e JOIN errors.projects p ON p.id = e.project_id
        WHERE e.received_at < now() - make_interval(days => p.retention_days) LIMIT $1)`,
    [batch],
  );
  return rowCount ?? 0;
}

export async function purgeExpiredCounts(db: Pick<PoolClient, 'query'>): Promise<void> {
  await db.query(`DELETE FROM errors.issue_counts WHERE granularity = 'minute' AND bucket < now() - interval '2 days'`);
  await db.query(`DELETE FROM errors.project_counts WHERE granularity = 'minute' AND bucket < now() - interval '2 days'`);
  await db.query(`DELETE FROM errors.inbox WHERE processed_at < now() - interval '7 days'`);
}
