// SQL for alerting.alerts and alerting.alert_history.
import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { keysetPage, type CursorKey, type Page } from '@vigil/service-kit';
import type { AlertDraft } from '../domain/rules.js';
import { prepared, replanned } from './statement.js';

export type AlertState = 'firing' | 'acknowledged' | 'resolved';
type Db = Pool | PoolClient;

export interface AlertRow {
  id: string;
  fingerprint: string;
  state: AlertState;
  severity: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  source: string;
  ruleId: string | null;
  generatorUrl: string | null;
  startsAt: string;
  endsAt: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  resolvedAt: string | null;
  updatedAt: string;
}

const iso = (v: unknown) => (v ? (v as Date).toISOString() : null);
/** The columns toAlert reads, named (a prepared statement's result must not change when a column is added). */
export const ALERT_COLUMNS = 'id, tenant_id, fingerprint, state, severity, labels, annotations, starts_at, updated_at, resolved_at, source, rule_id, generator_url, ends_at, acknowledged_at, acknowledged_by';
export const columns = (alias: string) => ALERT_COLUMNS.split(', ').map((c) => `${alias}.${c}`).join(', ');

export const toAlert = (r: Record<string, unknown>): AlertRow => ({
  id: r.id as string,
  fingerprint: r.fingerprint as string,
  state: r.state as AlertState,
  severity: r.severity as string,
  labels: r.labels as Record<string, string>,
  annotations: r.annotations as Record<string, string>,
  source: r.source as string,
  ruleId: (r.rule_id as string | null) ?? null,
  generatorUrl: (r.generator_url as string | null) ?? null,
  startsAt: iso(r.starts_at)!,
  endsAt: iso(r.ends_at),
  acknowledgedAt: iso(r.acknowledged_at),
  acknowledgedBy: (r.acknowledged_by as string | null) ?? null,
  resolvedAt: iso(r.resolved_at),
  updatedAt: iso(r.updated_at)!,
});

export interface FiringInput {
  draft: AlertDraft;
  source: string;
  startsAt: Date;
}

const sqlUpsertFiring = prepared('upsert_firing', `WITH up AS (
       INSERT INTO alerting.alerts (id, tenant_id, fingerprint, state, severity, labels, annotations, starts_at, source, rule_id, generator_url, ends_at)
       SELECT t.id, $1, t.fp, 'firing', t.sev, t.labels, t.ann, t.starts, t.src, t.rule, t.gen, t.ends
       FROM json_to_recordset($2::json) AS t(id uuid, fp text, sev text, labels jsonb, ann jsonb, starts timestamptz, src text, rule text, gen text, ends timestamptz)
       ORDER BY t.fp
       ON CONFLICT (tenant_id, fingerprint) WHERE state <> 'resolved'
       DO UPDATE SET annotations = EXCLUDED.annotations, ends_at = EXCLUDED.ends_at,
                     generator_url = coalesce(EXCLUDED.generator_url, alerts.generator_url), updated_at = now()
       RETURNING ${ALERT_COLUMNS}, (xmax = 0) AS opened),
     h AS (
       INSERT INTO alerting.alert_history (tenant_id, alert_id, from_state, to_state, actor, note, event)
       SELECT $1, up.id, NULL, 'firing', up.source, NULL, 'fired' FROM up WHERE up.opened)
     SELECT ${ALERT_COLUMNS}, opened FROM up`);

/**
 * Opens alerts or refreshes the open ones with the same fingerprints, in one statement that also
 * records the history entry (`fired`, by the alert's source) of each one it opened; `opened` tells
 * which were new. Input must not repeat a fingerprint.
 */
export async function upsertFiringMany(tx: PoolClient, tenantId: string, items: FiringInput[]): Promise<{ alert: AlertRow; opened: boolean }[]> {
  if (!items.length) return [];
  // Same lock order in every transaction: by fingerprint.
  const sorted = [...items].sort((a, b) => (a.draft.fingerprint < b.draft.fingerprint ? -1 : 1));
  const { rows } = await tx.query(sqlUpsertFiring([
      tenantId,
      JSON.stringify(
        sorted.map((i) => ({
          id: randomUUID(), fp: i.draft.fingerprint, sev: i.draft.severity, labels: i.draft.labels, ann: i.draft.annotations, starts: i.startsAt, src: i.source,
          rule: i.draft.ruleId ?? null, gen: i.draft.generatorUrl ?? null, ends: i.draft.endsAt ?? null,
        })),
      ),
    ]));
  return rows.map((r) => ({ alert: toAlert(r), opened: r.opened as boolean }));
}

/** Resolves the open alert with this fingerprint; returns it with its previous state. */
export async function resolveOpen(tx: PoolClient, tenantId: string, fingerprint: string, at: Date): Promise<{ alert: AlertRow; from: AlertState } | undefined> {
  return (await resolveOpenMany(tx, tenantId, [{ fingerprint, at }]))[0];
}

const sqlResolveOpen = replanned(`UPDATE alerting.alerts a SET state = 'resolved', resolved_at = prev.at, ends_at = prev.at, updated_at = now()
     FROM (SELECT o.id, o.state, t.at FROM unnest($2::text[], $3::timestamptz[]) AS t(fp, at)
             JOIN alerting.alerts o ON o.tenant_id = $1 AND o.fingerprint = t.fp AND o.state <> 'resolved'
           ORDER BY o.fingerprint FOR NO KEY UPDATE OF o) prev
     WHERE a.id = prev.id RETURNING ${columns('a')}, prev.state AS from_state`);

/**
 * Resolves the open alerts with these fingerprints (each at its own time) in one statement, locking
 * them in fingerprint order; returns the resolved ones with their previous state. Input must not
 * repeat a fingerprint.
 */
export async function resolveOpenMany(tx: PoolClient, tenantId: string, items: { fingerprint: string; at: Date }[]): Promise<{ alert: AlertRow; from: AlertState }[]> {
  if (!items.length) return [];
  const { rows } = await tx.query(sqlResolveOpen([tenantId, items.map((i) => i.fingerprint), items.map((i) => i.at)]));
  return rows.map((r) => ({ alert: toAlert(r), from: r.from_state as AlertState }));
}

/**
 * Row locks on alerts are FOR NO KEY UPDATE (no key column changes): they exclude each other but not the
 * KEY SHARE lock that inserting a history row (its foreign key) takes, so a job that writes history while
 * holding other locks (an escalation step) cannot deadlock with an acknowledge or resolve.
 */
export async function lockAlert(tx: PoolClient, tenantId: string, id: string): Promise<AlertRow | undefined> {
  const { rows } = await tx.query(`SELECT * FROM alerting.alerts WHERE tenant_id = $1 AND id = $2 FOR NO KEY UPDATE`, [tenantId, id]);
  return rows[0] ? toAlert(rows[0]) : undefined;
}

export async function markAcknowledged(tx: PoolClient, id: string, by: string): Promise<AlertRow> {
  const { rows } = await tx.query(
    `UPDATE alerting.alerts SET state = 'acknowledged', acknowledged_at = now(), acknowledged_by = $2, updated_at = now() WHERE id = $1 RETURNING *`,
    [id, by],
  );
  return toAlert(rows[0]);
}

export type HistoryEvent = 'fired' | 'acknowledged' | 'resolved' | 'escalated';

export interface HistoryInput {
  alertId: string;
  from: AlertState | null;
  to: AlertState;
  actor: string;
  note?: string;
  /** Set for entries that are not a state change (an escalation step); else derived from the states. */
  event?: HistoryEvent;
}

/** What an entry records: its stored event, or (rows before migration 0004) the state it went to. */
const eventOf = (stored: string | null, from: string | null, to: string): HistoryEvent =>
  (stored as HistoryEvent | null) ?? (from === null ? 'fired' : to === 'acknowledged' ? 'acknowledged' : to === 'resolved' ? 'resolved' : 'fired');

export async function recordHistory(tx: PoolClient, tenantId: string, entries: HistoryInput[]): Promise<void> {
  if (!entries.length) return;
  await tx.query(
    `INSERT INTO alerting.alert_history (tenant_id, alert_id, from_state, to_state, actor, note, event)
     SELECT $1, * FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])`,
    [
      tenantId,
      entries.map((e) => e.alertId),
      entries.map((e) => e.from),
      entries.map((e) => e.to),
      entries.map((e) => e.actor),
      entries.map((e) => e.note ?? null),
      entries.map((e) => e.event ?? eventOf(null, e.from, e.to)),
    ],
  );
}

export interface AlertFilter {
  state?: AlertState;
  labels?: Record<string, string>;
  limit: number;
  /** Keyset cursor: [starts_at as text, id] of the last alert of the previous page. */
  after?: CursorKey;
}

/** Newest first: (starts_at, id) descending. */
export async function listAlerts(db: Db, tenantId: string, f: AlertFilter): Promise<Page<AlertRow>> {
  const { rows } = await db.query(
    `SELECT *, starts_at::text AS cursor_at FROM alerting.alerts WHERE tenant_id = $1 AND ($2::text IS NULL OR state = $2) AND ($3::jsonb IS NULL OR labels @> $3)
       AND ($5::timestamptz IS NULL OR (starts_at, id) < ($5::timestamptz, $6::uuid))
     ORDER BY starts_at DESC, id DESC LIMIT $4`,
    [tenantId, f.state ?? null, f.labels ? JSON.stringify(f.labels) : null, f.limit + 1, f.after?.[0] ?? null, f.after?.[1] ?? null],
  );
  return keysetPage(rows, f.limit, (r) => [r.cursor_at, r.id], toAlert);
}

export async function getAlert(db: Db, tenantId: string, id: string): Promise<AlertRow | undefined> {
  const { rows } = await db.query(`SELECT * FROM alerting.alerts WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
  return rows[0] ? toAlert(rows[0]) : undefined;
}

export interface HistoryEntry {
  alertId: string;
  event: HistoryEvent;
  from: AlertState | null;
  to: AlertState;
  actor: string;
  note: string | null;
  at: string;
}

/**
 * An alert's history oldest first (id ascending); the tenant's history (no alertId) newest first.
 * `after` is the id of the last entry of the previous page.
 */
export async function listHistory(db: Db, tenantId: string, alertId: string | undefined, limit: number, after?: number): Promise<Page<HistoryEntry>> {
  const order = alertId ? 'ASC' : 'DESC';
  const { rows } = await db.query(
    `SELECT * FROM alerting.alert_history WHERE tenant_id = $1 AND ($2::uuid IS NULL OR alert_id = $2)
       AND ($4::bigint IS NULL OR id ${alertId ? '>' : '<'} $4) ORDER BY id ${order} LIMIT $3`,
    [tenantId, alertId ?? null, limit + 1, after ?? null],
  );
  return keysetPage(rows, limit, (r) => [Number(r.id)], (r) => ({ alertId: r.alert_id, event: eventOf(r.event, r.from_state, r.to_state), from: r.from_state, to: r.to_state, actor: r.actor, note: r.note, at: (r.at as Date).toISOString() }));
}

/** Open alerts whose labels contain `subset` (inhibition sources, until-resolved silences). */
export async function openAlertsContaining(db: Db, tenantId: string, subset: Record<string, string>): Promise<AlertRow[]> {
  const { rows } = await db.query(
    `SELECT * FROM alerting.alerts WHERE tenant_id = $1 AND state <> 'resolved' AND labels @> $2 LIMIT 1000`,
    [tenantId, JSON.stringify(subset)],
  );
  return rows.map(toAlert);
}

/** Open alerts past their endsAt (Alertmanager-style expiry), locked for resolution. */
export async function expiredAlerts(tx: PoolClient, limit: number): Promise<{ tenantId: string; fingerprint: string; endsAt: Date }[]> {
  const { rows } = await tx.query(
    `SELECT tenant_id, fingerprint, ends_at FROM alerting.alerts WHERE state <> 'resolved' AND ends_at <= now() ORDER BY ends_at LIMIT $1 FOR NO KEY UPDATE SKIP LOCKED`,
    [limit],
  );
  return rows.map((r) => ({ tenantId: r.tenant_id, fingerprint: r.fingerprint, endsAt: r.ends_at }));
}

/** Every open alert of a tenant (the Alertmanager API lists them all), oldest fingerprint first. */
export async function openAlerts(db: Db, tenantId: string, limit: number): Promise<AlertRow[]> {
  const { rows } = await db.query(`SELECT * FROM alerting.alerts WHERE tenant_id = $1 AND state <> 'resolved' ORDER BY fingerprint LIMIT $2`, [tenantId, limit]);
  return rows.map(toAlert);
}

export interface FiringStrip {
  fingerprint: string;
  alertname: string | null;
  /** Firing (or acknowledged) intervals inside the window; `to` null while still open. */
  intervals: { from: string; to: string | null }[];
}

/** Per fingerprint, when its alerts were open since `since` (the grid's 24-hour strips), oldest first. */
export async function firingStrips(db: Db, tenantId: string, since: Date, fingerprints: string[] | undefined, limit: number): Promise<FiringStrip[]> {
  const { rows } = await db.query(
    `SELECT fingerprint, labels->>'alertname' AS alertname, starts_at, resolved_at FROM alerting.alerts
     WHERE tenant_id = $1 AND (resolved_at IS NULL OR resolved_at > $2) AND ($3::text[] IS NULL OR fingerprint = ANY($3))
     ORDER BY fingerprint, starts_at, resolved_at NULLS LAST LIMIT $4`,
    [tenantId, since, fingerprints ?? null, limit],
  );
  const out = new Map<string, FiringStrip>();
  for (const r of rows) {
    const s = out.get(r.fingerprint) ?? { fingerprint: r.fingerprint as string, alertname: (r.alertname as string | null) ?? null, intervals: [] };
    const from = (r.starts_at as Date) < since ? since : (r.starts_at as Date);
    s.intervals.push({ from: from.toISOString(), to: iso(r.resolved_at) });
    out.set(r.fingerprint, s);
  }
  return [...out.values()];
}
