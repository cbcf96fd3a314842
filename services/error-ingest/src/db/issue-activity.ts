// SQL for errors.issue_activity: status changes and regressions, with the release and event where they happened.
import type { Pool, PoolClient } from 'pg';

export type ActivityKind = 'resolved' | 'ignored' | 'unresolved' | 'regressed';

export interface ActivityEntry {
  issueId: string;
  kind: ActivityKind;
  release?: string | null;
  /** Dashed UUID (the events table's form). */
  eventId?: string | null;
  at?: Date;
  detail?: Record<string, unknown>;
}

export interface ActivityRow {
  id: string;
  kind: ActivityKind;
  at: string;
  release: string | null;
  eventId: string | null;
  detail: Record<string, unknown>;
  /** `at` as PostgreSQL prints it (microseconds kept): the keyset cursor's value. */
  cursorAt: string;
}

export async function addActivity(tx: PoolClient, entries: ActivityEntry[]): Promise<void> {
  if (!entries.length) return;
  await tx.query(
    `INSERT INTO errors.issue_activity (issue_id, kind, at, release, event_id, detail)
     SELECT issue_id, kind, COALESCE(at, now()), release, event_id, detail
       FROM unnest($1::bigint[], $2::text[], $3::timestamptz[], $4::text[], $5::uuid[], $6::jsonb[]) AS a(issue_id, kind, at, release, event_id, detail)`,
    [
      entries.map((e) => e.issueId),
      entries.map((e) => e.kind),
      entries.map((e) => e.at ?? null),
      entries.map((e) => e.release ?? null),
      entries.map((e) => e.eventId ?? null),
      entries.map((e) => JSON.stringify(e.detail ?? {})),
    ],
  );
}

/** An issue's activity, newest first; `before` is the (at, id) of the previous page's last row. */
export async function listActivity(pool: Pool, issueId: string, limit: number, before?: { at: string; id: string }): Promise<ActivityRow[]> {
  const { rows } = await pool.query(
    `SELECT id, kind, at, at::text AS cursor_at, release, event_id, detail FROM errors.issue_activity
      WHERE issue_id = $1 AND ($2::timestamptz IS NULL OR (at, id) < ($2, $3::bigint))
      ORDER BY at DESC, id DESC LIMIT $4`,
    [issueId, before?.at ?? null, before?.id ?? null, limit],
  );
  return rows.map((r) => ({
    id: String(r.id),
    kind: r.kind,
    at: (r.at as Date).toISOString(),
    release: r.release,
    eventId: r.event_id ? (r.event_id as string).replace(/-/g, '') : null,
    detail: r.detail,
    cursorAt: r.cursor_at,
  }));
}
