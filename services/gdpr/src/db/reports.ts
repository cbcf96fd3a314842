// SQL aggregates for the compliance report (tenant-scoped by RLS).
import type { PoolClient } from 'pg';

export async function requestStats(tx: PoolClient, now: Date) {
  const { rows } = await tx.query(
    `SELECT kind, state, count(*)::int AS n,
       count(*) FILTER (WHERE state = 'completed' AND completed_at <= COALESCE(extended_deadline, deadline))::int AS on_time,
       count(*) FILTER (WHERE state IN ('unverified', 'in_progress') AND COALESCE(extended_deadline, deadline) < $1)::int AS overdue,
       avg(EXTRACT(EPOCH FROM (completed_at - received_at)) / 86400) FILTER (WHERE state = 'completed') AS avg_days
     FROM gdpr.subject_requests WHERE parent_id IS NULL GROUP BY kind, state ORDER BY kind, state`,
    [now],
  );
  return rows.map((r) => ({ kind: r.kind as string, state: r.state as string, count: r.n as number, onTime: r.on_time as number, overdue: r.overdue as number, avgDays: r.avg_days === null ? null : Number(r.avg_days) }));
}

export async function overdueRequests(tx: PoolClient, now: Date) {
  const { rows } = await tx.query(
    `SELECT id, kind, state, COALESCE(extended_deadline, deadline) AS deadline FROM gdpr.subject_requests
     WHERE state IN ('unverified', 'in_progress') AND COALESCE(extended_deadline, deadline) < $1 ORDER BY 4`,
    [now],
  );
  return rows.map((r) => ({ id: r.id as string, kind: r.kind as string, state: r.state as string, deadline: (r.deadline as Date).toISOString() }));
}

export async function breachStats(tx: PoolClient, now: Date) {
  const { rows } = await tx.query(
    `SELECT count(*)::int AS total,
       count(*) FILTER (WHERE authority_notified_at IS NOT NULL)::int AS notified,
       count(*) FILTER (WHERE authority_notified_at IS NOT NULL AND authority_notified_at <= notify_deadline)::int AS notified_in_time,
       count(*) FILTER (WHERE not_notified_reason IS NOT NULL)::int AS not_notified,
       count(*) FILTER (WHERE authority_notified_at IS NULL AND not_notified_reason IS NULL AND notify_deadline < $1)::int AS overdue
     FROM gdpr.breaches`,
    [now],
  );
  const r = rows[0];
  return { total: r.total as number, notified: r.notified as number, notifiedInTime: r.notified_in_time as number, notNotified: r.not_notified as number, overdue: r.overdue as number };
}
