// SQL for console.incidents, incident_alerts and incident_activity. Every read and write is scoped by tenant_id.
import type { IncidentSeverity, IncidentStatus } from '../domain/incidents.js';
import type { Db } from './queryable.js';

export interface IncidentRow {
  id: string;
  tenantId: string;
  title: string;
  severity: IncidentSeverity;
  status: IncidentStatus;
  owner: { id: string; name: string; email: string } | null;
  openedBy: { id: string; name: string } | null;
  startedAt: Date;
  openedAt: Date;
  acknowledgedAt: Date | null;
  resolvedAt: Date | null;
  ttaSeconds: number | null;
  ttrSeconds: number | null;
  alertCount: number;
}

export interface IncidentAlert {
  alertId: string;
  name: string;
  severity: string;
  startsAt: string;
}

export interface ActivityRow {
  id: number;
  at: string;
  actor: { id: string | null; name: string };
  kind: 'opened' | 'status' | 'owner' | 'title' | 'note' | 'alerts';
  detail: Record<string, unknown>;
}

const SELECT = `SELECT i.id, i.tenant_id, i.title, i.severity, i.status, i.started_at, i.opened_at, i.acknowledged_at, i.resolved_at, i.tta_seconds, i.ttr_seconds,
    o.id AS owner_id, o.name AS owner_name, o.email AS owner_email, b.id AS by_id, b.name AS by_name,
    (SELECT count(*)::int FROM console.incident_alerts a WHERE a.incident_id = i.id) AS alert_count
  FROM console.incidents i LEFT JOIN console.users o ON o.id = i.owner_user_id LEFT JOIN console.users b ON b.id = i.opened_by`;

function toIncident(r: Record<string, unknown>): IncidentRow {
  return {
    id: r.id as string,
    tenantId: r.tenant_id as string,
    title: r.title as string,
    severity: r.severity as IncidentSeverity,
    status: r.status as IncidentStatus,
    owner: r.owner_id ? { id: r.owner_id as string, name: r.owner_name as string, email: r.owner_email as string } : null,
    openedBy: r.by_id ? { id: r.by_id as string, name: r.by_name as string } : null,
    startedAt: r.started_at as Date,
    openedAt: r.opened_at as Date,
    acknowledgedAt: (r.acknowledged_at as Date | null) ?? null,
    resolvedAt: (r.resolved_at as Date | null) ?? null,
    ttaSeconds: r.tta_seconds === null ? null : Number(r.tta_seconds),
    ttrSeconds: r.ttr_seconds === null ? null : Number(r.ttr_seconds),
    alertCount: r.alert_count as number,
  };
}

export async function insertIncident(
  db: Db,
  i: { id: string; tenantId: string; title: string; severity: IncidentSeverity; ownerUserId: string | null; openedBy: string; startedAt: Date; openedAt: Date },
): Promise<void> {
  await db.query(
    `INSERT INTO console.incidents (id, tenant_id, title, severity, status, owner_user_id, opened_by, started_at, opened_at, updated_at)
     VALUES ($1, $2, $3, $4, 'open', $5, $6, $7, $8, $8)`,
    [i.id, i.tenantId, i.title, i.severity, i.ownerUserId, i.openedBy, i.startedAt, i.openedAt],
  );
}

export async function insertIncidentAlerts(db: Db, incidentId: string, alerts: IncidentAlert[]): Promise<IncidentAlert[]> {
  if (!alerts.length) return [];
  const { rows } = await db.query(
    `INSERT INTO console.incident_alerts (incident_id, alert_id, name, severity, starts_at)
     SELECT $1, a, n, s, t FROM unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[]) AS u(a, n, s, t)
     ON CONFLICT DO NOTHING RETURNING alert_id`,
    [incidentId, alerts.map((a) => a.alertId), alerts.map((a) => a.name), alerts.map((a) => a.severity), alerts.map((a) => a.startsAt)],
  );
  const added = new Set(rows.map((r) => r.alert_id as string));
  return alerts.filter((a) => added.has(a.alertId));
}

export async function findIncident(db: Db, tenantId: string, id: string, { lock = false } = {}): Promise<IncidentRow | undefined> {
  const { rows } = await db.query(`${SELECT} WHERE i.tenant_id = $1 AND i.id = $2${lock ? ' FOR UPDATE OF i' : ''}`, [tenantId, id]);
  return rows[0] && toIncident(rows[0]);
}

/** Newest opened first, keyset-paged on (opened_at, id). */
export async function listIncidents(
  db: Db,
  q: { tenantId: string; status?: IncidentStatus; alertId?: string; resolvedFrom?: Date; resolvedTo?: Date; limit: number; before?: { at: Date; id: string } },
): Promise<IncidentRow[]> {
  const params: unknown[] = [q.tenantId];
  const where: string[] = ['i.tenant_id = $1'];
  const add = (sql: (n: number) => string, v: unknown) => {
    params.push(v);
    where.push(sql(params.length));
  };
  if (q.status) add((n) => `i.status = $${n}`, q.status);
  if (q.alertId) add((n) => `EXISTS (SELECT 1 FROM console.incident_alerts a WHERE a.incident_id = i.id AND a.alert_id = $${n})`, q.alertId);
  if (q.resolvedFrom) add((n) => `i.resolved_at >= $${n}`, q.resolvedFrom);
  if (q.resolvedTo) add((n) => `i.resolved_at < $${n}`, q.resolvedTo);
  if (q.before) {
    params.push(q.before.at, q.before.id);
    where.push(`(i.opened_at, i.id) < ($${params.length - 1}, $${params.length}::uuid)`);
  }
  params.push(q.limit);
  const { rows } = await db.query(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY i.opened_at DESC, i.id DESC LIMIT $${params.length}`, params);
  return rows.map(toIncident);
}

/** The tenant's incidents acknowledged or resolved within [from, to), for the executive report. */
export async function incidentsHandledBetween(db: Db, tenantId: string, from: Date, to: Date): Promise<IncidentRow[]> {
  const { rows } = await db.query(
    `${SELECT} WHERE i.tenant_id = $1 AND ((i.acknowledged_at >= $2 AND i.acknowledged_at < $3) OR (i.resolved_at >= $2 AND i.resolved_at < $3))
     ORDER BY i.started_at, i.id`,
    [tenantId, from, to],
  );
  return rows.map(toIncident);
}

export async function incidentAlerts(db: Db, incidentId: string): Promise<IncidentAlert[]> {
  const { rows } = await db.query(`SELECT alert_id, name, severity, starts_at FROM console.incident_alerts WHERE incident_id = $1 ORDER BY starts_at, alert_id`, [incidentId]);
  return rows.map((r) => ({ alertId: r.alert_id, name: r.name, severity: r.severity, startsAt: (r.starts_at as Date).toISOString() }));
}

export async function updateIncident(
  db: Db,
  id: string,
  p: { title: string; severity: IncidentSeverity; status: IncidentStatus; ownerUserId: string | null; startedAt: Date; acknowledgedAt: Date | null; resolvedAt: Date | null; ttaSeconds: number | null; ttrSeconds: number | null },
): Promise<void> {
  await db.query(
    `UPDATE console.incidents SET title = $2, severity = $3, status = $4, owner_user_id = $5, started_at = $6, acknowledged_at = $7, resolved_at = $8,
       tta_seconds = $9, ttr_seconds = $10, updated_at = now() WHERE id = $1`,
    [id, p.title, p.severity, p.status, p.ownerUserId, p.startedAt, p.acknowledgedAt, p.resolvedAt, p.ttaSeconds, p.ttrSeconds],
  );
}

export async function insertActivity(db: Db, incidentId: string, a: { actorUserId: string; actorName: string; kind: ActivityRow['kind']; detail: Record<string, unknown> }): Promise<void> {
  await db.query(`INSERT INTO console.incident_activity (incident_id, actor_user_id, actor_name, kind, detail) VALUES ($1, $2, $3, $4, $5)`, [
    incidentId,
    a.actorUserId,
    a.actorName,
    a.kind,
    JSON.stringify(a.detail),
  ]);
}

export async function incidentActivity(db: Db, incidentId: string): Promise<ActivityRow[]> {
  const { rows } = await db.query(`SELECT id, at, actor_user_id, actor_name, kind, detail FROM console.incident_activity WHERE incident_id = $1 ORDER BY id`, [incidentId]);
  return rows.map((r) => ({ id: Number(r.id), at: (r.at as Date).toISOString(), actor: { id: r.actor_user_id, name: r.actor_name }, kind: r.kind, detail: r.detail }));
}
