// Incidents: open from one or more alerts, change status, owner and title, add notes and alerts;
// every change is kept in the activity log with who did it. Resolving records time to acknowledge
// and time to resolve (read by reports through GET /api/incidents?status=resolved).
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { withTransaction } from '@vigil/service-kit';
import { findIncident, incidentActivity, incidentAlerts, insertActivity, insertIncident, insertIncidentAlerts, listIncidents, updateIncident, type IncidentAlert, type IncidentRow } from '../db/incidents.js';
import { memberOf } from '../db/users.js';
import { canMove, moveTo, startOf, worstSeverity, type IncidentSeverity, type IncidentStatus } from '../domain/incidents.js';
import { incidentNotFound, incidentTransition, ownerNotMember } from '../errors.js';
import { badRequest } from '@vigil/service-kit';
import type { ActiveSession } from './sessions.js';

export interface IncidentView {
  id: string;
  title: string;
  severity: IncidentSeverity;
  status: IncidentStatus;
  owner: { id: string; name: string; email: string } | null;
  openedBy: { id: string; name: string } | null;
  startedAt: string;
  openedAt: string;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
  /** Seconds from the start (first alert) to the acknowledgement; set once acknowledged or resolved. */
  timeToAcknowledgeSeconds: number | null;
  /** Seconds from the start to the resolution; set when resolved. */
  timeToResolveSeconds: number | null;
  alertCount: number;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
export const viewOf = (r: IncidentRow): IncidentView => ({
  id: r.id,
  title: r.title,
  severity: r.severity,
  status: r.status,
  owner: r.owner,
  openedBy: r.openedBy,
  startedAt: r.startedAt.toISOString(),
  openedAt: r.openedAt.toISOString(),
  acknowledgedAt: iso(r.acknowledgedAt),
  resolvedAt: iso(r.resolvedAt),
  timeToAcknowledgeSeconds: r.ttaSeconds,
  timeToResolveSeconds: r.ttrSeconds,
  alertCount: r.alertCount,
});

const actor = (s: ActiveSession) => ({ actorUserId: s.userId, actorName: s.name || s.email });

async function requireOwner(db: pg.PoolClient, tenantId: string, ownerId: string | null | undefined): Promise<string | null> {
  if (!ownerId) return null;
  const m = await memberOf(db, tenantId, ownerId);
  if (!m || m.disabled) throw ownerNotMember(ownerId);
  return ownerId;
}

export interface OpenIncidentInput {
  title?: string;
  severity?: IncidentSeverity;
  ownerId?: string | null;
  alerts: IncidentAlert[];
  note?: string;
}

export async function openIncident(pool: pg.Pool, session: ActiveSession, input: OpenIncidentInput): Promise<IncidentDetail> {
  const title = input.title?.trim() || (input.alerts.length ? `${input.alerts[0]!.name}${input.alerts.length > 1 ? ` and ${input.alerts.length - 1} more` : ''}` : '');
  if (!title) throw badRequest('CONSOLE_INCIDENT_INVALID', 'title: give a title, or open the incident from at least one alert');
  const id = randomUUID();
  const now = new Date();
  await withTransaction(pool, async (tx) => {
    const owner = await requireOwner(tx, session.tenantId, input.ownerId);
    const severity = input.severity ?? worstSeverity(input.alerts.map((a) => a.severity));
    await insertIncident(tx, { id, tenantId: session.tenantId, title, severity, ownerUserId: owner, openedBy: session.userId, startedAt: startOf(input.alerts.map((a) => new Date(a.startsAt)), now), openedAt: now });
    await insertIncidentAlerts(tx, id, input.alerts);
    await insertActivity(tx, id, { ...actor(session), kind: 'opened', detail: { title, severity, alerts: input.alerts.map((a) => a.alertId) } });
    if (owner) await insertActivity(tx, id, { ...actor(session), kind: 'owner', detail: { ownerId: owner } });
    if (input.note?.trim()) await insertActivity(tx, id, { ...actor(session), kind: 'note', detail: { text: input.note.trim() } });
  });
  return incidentDetail(pool, session.tenantId, id);
}

export interface IncidentDetail extends IncidentView {
  alerts: IncidentAlert[];
  activity: Awaited<ReturnType<typeof incidentActivity>>;
}

export async function incidentDetail(pool: pg.Pool, tenantId: string, id: string): Promise<IncidentDetail> {
  const row = await findIncident(pool, tenantId, id);
  if (!row) throw incidentNotFound(id);
  const [alerts, activity] = await Promise.all([incidentAlerts(pool, id), incidentActivity(pool, id)]);
  return { ...viewOf(row), alerts, activity };
}

export interface IncidentPatch {
  title?: string;
  severity?: IncidentSeverity;
  status?: IncidentStatus;
  ownerId?: string | null;
}

export async function changeIncident(pool: pg.Pool, session: ActiveSession, id: string, patch: IncidentPatch): Promise<IncidentDetail> {
  await withTransaction(pool, async (tx) => {
    const row = await findIncident(tx, session.tenantId, id, { lock: true });
    if (!row) throw incidentNotFound(id);
    const next = { title: row.title, severity: row.severity, status: row.status, ownerUserId: row.owner?.id ?? null, startedAt: row.startedAt, acknowledgedAt: row.acknowledgedAt, resolvedAt: row.resolvedAt, ttaSeconds: row.ttaSeconds, ttrSeconds: row.ttrSeconds };
    const log: { kind: 'status' | 'owner' | 'title'; detail: Record<string, unknown> }[] = [];
    if (patch.title !== undefined && patch.title.trim() && patch.title.trim() !== row.title) {
      log.push({ kind: 'title', detail: { from: row.title, to: patch.title.trim() } });
      next.title = patch.title.trim();
    }
    if (patch.severity && patch.severity !== row.severity) {
      log.push({ kind: 'title', detail: { severityFrom: row.severity, severityTo: patch.severity } });
      next.severity = patch.severity;
    }
    if (patch.ownerId !== undefined && patch.ownerId !== (row.owner?.id ?? null)) {
      next.ownerUserId = await requireOwner(tx, session.tenantId, patch.ownerId);
      log.push({ kind: 'owner', detail: { from: row.owner?.id ?? null, to: next.ownerUserId } });
    }
    if (patch.status && patch.status !== row.status) {
      if (!canMove(row.status, patch.status)) throw incidentTransition(row.status, patch.status);
      const moved = moveTo(row, patch.status, new Date());
      Object.assign(next, { status: patch.status, acknowledgedAt: moved.acknowledgedAt, resolvedAt: moved.resolvedAt, ttaSeconds: moved.ttaSeconds, ttrSeconds: moved.ttrSeconds });
      log.push({ kind: 'status', detail: { from: row.status, to: patch.status, ...(patch.status === 'resolved' ? { timeToAcknowledgeSeconds: moved.ttaSeconds, timeToResolveSeconds: moved.ttrSeconds } : {}) } });
    }
    if (!log.length) return;
    await updateIncident(tx, id, next);
    for (const l of log) await insertActivity(tx, id, { ...actor(session), ...l });
  });
  return incidentDetail(pool, session.tenantId, id);
}

export async function addNote(pool: pg.Pool, session: ActiveSession, id: string, text: string): Promise<IncidentDetail> {
  const note = text.trim();
  if (!note) throw badRequest('CONSOLE_INCIDENT_INVALID', 'text: a note cannot be empty');
  await withTransaction(pool, async (tx) => {
    if (!(await findIncident(tx, session.tenantId, id, { lock: true }))) throw incidentNotFound(id);
    await insertActivity(tx, id, { ...actor(session), kind: 'note', detail: { text: note } });
  });
  return incidentDetail(pool, session.tenantId, id);
}

/** Attaches more alerts; the start moves earlier when one of them started before. */
export async function addAlerts(pool: pg.Pool, session: ActiveSession, id: string, alerts: IncidentAlert[]): Promise<IncidentDetail> {
  await withTransaction(pool, async (tx) => {
    const row = await findIncident(tx, session.tenantId, id, { lock: true });
    if (!row) throw incidentNotFound(id);
    const added = await insertIncidentAlerts(tx, id, alerts);
    if (!added.length) return;
    const startedAt = startOf(added.map((a) => new Date(a.startsAt)), row.startedAt);
    const severity = worstSeverity([row.severity, ...added.map((a) => a.severity)]);
    await updateIncident(tx, id, { title: row.title, severity, status: row.status, ownerUserId: row.owner?.id ?? null, startedAt, acknowledgedAt: row.acknowledgedAt, resolvedAt: row.resolvedAt, ttaSeconds: row.ttaSeconds, ttrSeconds: row.ttrSeconds });
    await insertActivity(tx, id, { ...actor(session), kind: 'alerts', detail: { added: added.map((a) => a.alertId) } });
  });
  return incidentDetail(pool, session.tenantId, id);
}

const encode = (r: IncidentRow) => Buffer.from(`${r.openedAt.toISOString()}|${r.id}`).toString('base64url');
function decode(c: string) {
  const [at, id] = Buffer.from(c, 'base64url').toString().split('|');
  const date = new Date(at ?? '');
  if (!id || !/^[0-9a-f-]{36}$/i.test(id) || Number.isNaN(date.getTime())) throw badRequest('CONSOLE_CURSOR_INVALID', 'cursor is not one this endpoint returned');
  return { at: date, id };
}

export async function incidentList(
  pool: pg.Pool,
  tenantId: string,
  q: { status?: IncidentStatus; alertId?: string; resolvedFrom?: Date; resolvedTo?: Date; cursor?: string; limit: number },
): Promise<{ items: IncidentView[]; nextCursor: string | null }> {
  const rows = await listIncidents(pool, { tenantId, status: q.status, alertId: q.alertId, resolvedFrom: q.resolvedFrom, resolvedTo: q.resolvedTo, limit: q.limit + 1, before: q.cursor ? decode(q.cursor) : undefined });
  const page = rows.slice(0, q.limit);
  return { items: page.map(viewOf), nextCursor: rows.length > q.limit ? encode(page[page.length - 1]!) : null };
}
