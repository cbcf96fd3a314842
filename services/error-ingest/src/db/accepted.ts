// SQL for errors.accepted_events (raw events durable before the 200) and errors.client_reports.
import type { Pool, PoolClient } from 'pg';

export interface AcceptedRow {
  eventId: string;
  projectId: string;
  keyId: string;
  receivedAt: Date;
  payload: string;
}

/** Inserts in the caller's transaction; a re-sent event id is kept once. */
export async function insertAccepted(tx: PoolClient, rows: AcceptedRow[]): Promise<void> {
  // One parameter per value (not unnest over arrays): large payloads are sent as they are,
  // without the array-literal escaping that costs more CPU than the insert itself.
  const values = rows.map((_, n) => `($${n * 5 + 1}::uuid, $${n * 5 + 2}::bigint, $${n * 5 + 3}::bigint, $${n * 5 + 4}::timestamptz, $${n * 5 + 5})`);
  await tx.query(
    `INSERT INTO errors.accepted_events (event_id, project_id, key_id, received_at, payload) VALUES ${values.join(', ')} ON CONFLICT DO NOTHING`,
    rows.flatMap((r) => [r.eventId, r.projectId, r.keyId, r.receivedAt, r.payload]),
  );
}

/** Removes and returns the given accepted events (missing ones were processed already). */
export async function takeAccepted(tx: PoolClient, eventIds: string[]): Promise<AcceptedRow[]> {
  const { rows } = await tx.query(
    `DELETE FROM errors.accepted_events WHERE event_id = ANY($1::uuid[]) RETURNING event_id, project_id, key_id, received_at, payload`,
    [eventIds],
  );
  return rows.map((r) => ({ eventId: r.event_id, projectId: String(r.project_id), keyId: String(r.key_id), receivedAt: r.received_at, payload: r.payload }));
}

export async function countAccepted(pool: Pool): Promise<number> {
  const { rows } = await pool.query(`SELECT count(*)::int AS n FROM errors.accepted_events`);
  return rows[0].n;
}

export interface ClientReportRow {
  reason: string;
  category: string;
  quantity: number;
}

export async function insertClientReports(pool: Pool, projectId: string, reports: ClientReportRow[]): Promise<void> {
  if (!reports.length) return;
  await pool.query(
    `INSERT INTO errors.client_reports (project_id, reason, category, quantity)
     SELECT $1, * FROM unnest($2::text[], $3::text[], $4::int[])`,
    [projectId, reports.map((r) => r.reason), reports.map((r) => r.category), reports.map((r) => r.quantity)],
  );
}

export async function clientReportTotals(pool: Pool, tenantId: string, projectId: string, since: Date): Promise<(ClientReportRow & { projectId: string })[]> {
  const { rows } = await pool.query(
    `SELECT c.reason, c.category, sum(c.quantity)::bigint AS quantity
       FROM errors.client_reports c JOIN errors.projects p ON p.id = c.project_id
      WHERE p.tenant_id = $1 AND c.project_id = $2 AND c.received_at >= $3
      GROUP BY c.reason, c.category ORDER BY quantity DESC`,
    [tenantId, projectId, since],
  );
  return rows.map((r) => ({ projectId, reason: r.reason, category: r.category, quantity: Number(r.quantity) }));
}
