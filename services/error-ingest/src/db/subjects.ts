// SQL for data subject requests: everything keyed by a subject's pseudonyms.
import type { PoolClient } from 'pg';

export interface SubjectRef {
  idType: string;
  ref: string;
}

async function subjectEventIds(tx: PoolClient, tenantId: string, refs: string[]): Promise<string[]> {
  const { rows } = await tx.query(`SELECT DISTINCT event_id FROM errors.event_subjects WHERE tenant_id = $1 AND ref = ANY($2::text[])`, [tenantId, refs]);
  return rows.map((r) => r.event_id as string);
}

export interface SubjectErasure {
  events: number;
  eventSubjects: number;
  issueUsers: number;
}

export async function eraseSubject(tx: PoolClient, tenantId: string, refs: string[]): Promise<SubjectErasure> {
  const ids = await subjectEventIds(tx, tenantId, refs);
  const subj = await tx.query(`DELETE FROM errors.event_subjects WHERE event_id = ANY($1::uuid[])`, [ids]);
  const events = await tx.query(`DELETE FROM errors.events WHERE tenant_id = $1 AND event_id = ANY($2::uuid[])`, [tenantId, ids]);
  const users = await tx.query(
    `WITH gone AS (
       DELETE FROM errors.issue_users u USING errors.issues i
        WHERE u.issue_id = i.id AND i.tenant_id = $1 AND u.user_ref = ANY($2::text[]) RETURNING u.issue_id)
     UPDATE errors.issues i SET users_affected = GREATEST(0, users_affected - g.n)
       FROM (SELECT issue_id, count(*) AS n FROM gone GROUP BY issue_id) g WHERE i.id = g.issue_id`,
    [tenantId, refs],
  );
  return { events: events.rowCount ?? 0, eventSubjects: subj.rowCount ?? 0, issueUsers: users.rowCount ?? 0 };
}

export interface SubjectExport {
  events: { eventId: string; projectId: string; issueId: string; receivedAt: string; release: string | null; environment: string | null; tags: unknown; user: unknown; payload: unknown }[];
  pseudonyms: { idType: string; ref: string }[];
  issueUsers: number;
}

export async function exportSubject(tx: PoolClient, tenantId: string, refs: string[]): Promise<SubjectExport> {
  const ids = await subjectEventIds(tx, tenantId, refs);
  const { rows } = await tx.query(
    `SELECT event_id, project_id, issue_id, received_at, release, environment, tags, payload FROM errors.events
      WHERE tenant_id = $1 AND event_id = ANY($2::uuid[]) ORDER BY received_at`,
    [tenantId, ids],
  );
  const pseudo = await tx.query(`SELECT DISTINCT id_type, ref FROM errors.event_subjects WHERE tenant_id = $1 AND ref = ANY($2::text[]) ORDER BY id_type, ref`, [tenantId, refs]);
  const users = await tx.query(`SELECT count(*)::int AS n FROM errors.issue_users u JOIN errors.issues i ON i.id = u.issue_id WHERE i.tenant_id = $1 AND u.user_ref = ANY($2::text[])`, [
    tenantId,
    refs,
  ]);
  return {
    events: rows.map((r) => ({
      eventId: r.event_id,
      projectId: String(r.project_id),
      issueId: String(r.issue_id),
      receivedAt: r.received_at.toISOString(),
      release: r.release,
      environment: r.environment,
      tags: r.tags,
      user: r.payload?.user ?? null,
      payload: r.payload,
    })),
    pseudonyms: pseudo.rows.map((r) => ({ idType: r.id_type, ref: r.ref })),
    issueUsers: users.rows[0].n,
  };
}
