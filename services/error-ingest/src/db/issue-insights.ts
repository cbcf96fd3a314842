// SQL behind the issue stream's sparklines and the issue page: hourly counts of many issues at once,
// an issue's counts over a period, when each release first showed it, and the users it affected.
import type { Pool } from 'pg';

/** Hourly counts since `from` of each issue (sparse: missing hours had no events). */
export async function hourlyCounts(pool: Pool, issueIds: string[], from: Date): Promise<{ issueId: string; bucket: number; count: number }[]> {
  const { rows } = await pool.query(
    `SELECT issue_id, bucket, count FROM errors.issue_counts WHERE issue_id = ANY($1::bigint[]) AND granularity = 'hour' AND bucket >= $2`,
    [issueIds, from],
  );
  return rows.map((r) => ({ issueId: String(r.issue_id), bucket: (r.bucket as Date).getTime(), count: Number(r.count) }));
}

/** Counts of one issue in buckets of `stepHours` hours since `from` (sparse), from the hour buckets. */
export async function issueSeries(pool: Pool, issueId: string, from: Date, stepHours: number): Promise<{ bucket: number; count: number }[]> {
  const { rows } = await pool.query(
    `SELECT to_timestamp(floor(extract(epoch FROM bucket) / ($3 * 3600)) * $3 * 3600) AS b, sum(count)::bigint AS n
       FROM errors.issue_counts WHERE issue_id = $1 AND granularity = 'hour' AND bucket >= $2 GROUP BY 1 ORDER BY 1`,
    [issueId, from, stepHours],
  );
  return rows.map((r) => ({ bucket: (r.b as Date).getTime(), count: Number(r.n) }));
}

/** When each release first sent an event of the issue (the chart's release markers), oldest first. */
export async function releaseFirstSeen(pool: Pool, issueId: string, limit = 50): Promise<{ release: string; firstSeen: string; count: number }[]> {
  const { rows } = await pool.query(
    `SELECT release, min(received_at) AS first_seen, count(*)::bigint AS n FROM errors.events
      WHERE issue_id = $1 AND release IS NOT NULL GROUP BY release ORDER BY first_seen DESC LIMIT $2`,
    [issueId, limit],
  );
  return rows.map((r) => ({ release: r.release, firstSeen: (r.first_seen as Date).toISOString(), count: Number(r.n) })).reverse();
}

export interface AffectedUser {
  userRef: string;
  events: number;
  firstSeen: string | null;
  lastSeen: string | null;
}

/** Users (pseudonyms) of an issue in pseudonym order after `after`, with their event counts. */
export async function affectedUsers(pool: Pool, issueId: string, limit: number, after?: string): Promise<AffectedUser[]> {
  const { rows } = await pool.query(
    `SELECT u.user_ref, count(e.event_id)::bigint AS n, min(e.received_at) AS first_seen, max(e.received_at) AS last_seen
       FROM (SELECT user_ref FROM errors.issue_users WHERE issue_id = $1 AND ($2::text IS NULL OR user_ref > $2) ORDER BY user_ref LIMIT $3) u
       LEFT JOIN errors.events e ON e.issue_id = $1 AND e.user_ref = u.user_ref
      GROUP BY u.user_ref ORDER BY u.user_ref`,
    [issueId, after ?? null, limit],
  );
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return rows.map((r) => ({ userRef: r.user_ref, events: Number(r.n), firstSeen: iso(r.first_seen), lastSeen: iso(r.last_seen) }));
}

/** The ids among `ids` that are issues of this tenant's project. */
export async function ownedIssueIds(pool: Pool, tenantId: string, projectId: string, ids: string[]): Promise<string[]> {
  const { rows } = await pool.query(`SELECT id FROM errors.issues WHERE tenant_id = $1 AND project_id = $2 AND id = ANY($3::bigint[])`, [tenantId, projectId, ids]);
  return rows.map((r) => String(r.id));
}
