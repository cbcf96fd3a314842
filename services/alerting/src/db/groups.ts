// SQL for aggregation groups (alerting.alert_groups, alerting.group_alerts).
import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { columns, toAlert, type AlertRow } from './alerts.js';
import { prepared, replanned } from './statement.js';

export interface GroupRow {
  id: string;
  tenantId: string;
  receiver: string;
  groupKey: string;
  groupLabels: Record<string, string>;
  groupIntervalMs: number;
  repeatIntervalMs: number;
  lastFlushAt: Date | null;
  lastDigest: string | null;
}

const GROUP_COLUMNS = 'id, tenant_id, receiver, group_key, group_labels, group_interval_ms, repeat_interval_ms, next_flush_at, last_flush_at, last_digest, created_at';

const toGroup = (r: Record<string, unknown>): GroupRow => ({
  id: r.id as string,
  tenantId: r.tenant_id as string,
  receiver: r.receiver as string,
  groupKey: r.group_key as string,
  groupLabels: r.group_labels as Record<string, string>,
  groupIntervalMs: Number(r.group_interval_ms),
  repeatIntervalMs: Number(r.repeat_interval_ms),
  lastFlushAt: (r.last_flush_at as Date | null) ?? null,
  lastDigest: (r.last_digest as string | null) ?? null,
});

export interface GroupJoin {
  receiver: string;
  groupKey: string;
  groupLabels: Record<string, string>;
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
  alertId: string;
}

const sqlJoinGroups = prepared('join_groups', `WITH g AS (
       INSERT INTO alerting.alert_groups (id, tenant_id, receiver, group_key, group_labels, group_interval_ms, repeat_interval_ms, next_flush_at)
       SELECT t.id, $1, t.receiver, t.key, t.labels, t.gi, t.ri, now() + make_interval(secs => t.gw::double precision / 1000)
       FROM json_to_recordset($2::json) AS t(id uuid, receiver text, key text, labels jsonb, gi bigint, ri bigint, gw bigint)
       ORDER BY t.receiver, t.key
       ON CONFLICT (tenant_id, receiver, group_key) DO UPDATE SET
         group_interval_ms = EXCLUDED.group_interval_ms, repeat_interval_ms = EXCLUDED.repeat_interval_ms,
         next_flush_at = least(coalesce(alert_groups.next_flush_at, 'infinity'),
                               greatest(now(), coalesce(alert_groups.last_flush_at, now()) + make_interval(secs => EXCLUDED.group_interval_ms::double precision / 1000)))
       RETURNING id, receiver, group_key, (xmax = 0) AS created),
     m AS (
       INSERT INTO alerting.group_alerts (group_id, alert_id)
       SELECT g.id, m.alert_id FROM json_to_recordset($3::json) AS m(receiver text, key text, alert_id uuid) JOIN g ON g.receiver = m.receiver AND g.group_key = m.key
       ON CONFLICT DO NOTHING)
     SELECT id, receiver, group_key, created FROM g`);

export interface JoinedGroup {
  id: string;
  created: boolean;
  alertIds: string[];
  /** Set when this statement created the group: the row it inserted. */
  row?: GroupRow;
  /** Created with group_wait 0: due for its first flush now (and locked by this transaction). */
  dueNow: boolean;
}

/**
 * Puts alerts into their groups in one statement: a new group flushes after group_wait, a known one
 * at its next group_interval. Groups are written in (receiver, key) order, the same in every transaction.
 */
export async function joinGroups(tx: PoolClient, tenantId: string, joins: GroupJoin[]): Promise<JoinedGroup[]> {
  if (!joins.length) return [];
  const groups = new Map<string, GroupJoin>();
  for (const j of joins) groups.set(`${j.receiver}\u0000${j.groupKey}`, j);
  const list = [...groups.values()].sort((a, b) => (a.receiver + a.groupKey < b.receiver + b.groupKey ? -1 : 1));
  const ids = new Map(list.map((g) => [`${g.receiver}\u0000${g.groupKey}`, randomUUID()]));
  const { rows } = await tx.query(sqlJoinGroups([
      tenantId,
      JSON.stringify(list.map((g) => ({ id: ids.get(`${g.receiver}\u0000${g.groupKey}`), receiver: g.receiver, key: g.groupKey, labels: g.groupLabels, gi: g.groupIntervalMs, ri: g.repeatIntervalMs, gw: g.groupWaitMs }))),
      JSON.stringify(joins.map((j) => ({ receiver: j.receiver, key: j.groupKey, alert_id: j.alertId }))),
    ]));
  const members = new Map<string, string[]>();
  for (const j of joins) members.set(`${j.receiver}\u0000${j.groupKey}`, [...(members.get(`${j.receiver}\u0000${j.groupKey}`) ?? []), j.alertId]);
  return rows.map((r) => {
    const k = `${r.receiver}\u0000${r.group_key}`;
    const j = groups.get(k)!;
    const created = r.created as boolean;
    // A group this statement created is exactly what it inserted: its row is known without reading it back.
    const row: GroupRow | undefined = created
      ? { id: r.id as string, tenantId, receiver: j.receiver, groupKey: j.groupKey, groupLabels: j.groupLabels, groupIntervalMs: j.groupIntervalMs, repeatIntervalMs: j.repeatIntervalMs, lastFlushAt: null, lastDigest: null }
      : undefined;
    return { id: r.id as string, created, alertIds: members.get(k) ?? [], row, dueNow: created && j.groupWaitMs <= 0 };
  });
}

const sqlTouchGroups = replanned(`UPDATE alerting.alert_groups g SET next_flush_at = least(coalesce(g.next_flush_at, 'infinity'),
        greatest(now(), coalesce(g.last_flush_at, now()) + make_interval(secs => g.group_interval_ms::double precision / 1000)))
     WHERE g.id IN (SELECT m.group_id FROM alerting.group_alerts m WHERE m.alert_id = ANY($1::uuid[])) RETURNING g.id`);

/** A member changed (resolved, acknowledged): flush its groups at their next group_interval. */
export async function touchGroupsOf(tx: PoolClient, alertIds: string | string[]): Promise<string[]> {
  const { rows } = await tx.query(sqlTouchGroups([typeof alertIds === 'string' ? [alertIds] : alertIds]));
  return rows.map((r) => r.id as string);
}

const sqlClaimGroupsById = replanned(`SELECT ${GROUP_COLUMNS} FROM alerting.alert_groups WHERE id = ANY($1::uuid[]) AND next_flush_at <= now() ORDER BY id FOR UPDATE SKIP LOCKED`);

/**
 * These groups, if due, locked: those this transaction just joined or touched it holds already; one
 * the flush job holds is skipped (the job flushes it). By primary key, whatever the statistics say.
 */
export async function claimDueGroupsById(tx: PoolClient, groupIds: string[]): Promise<GroupRow[]> {
  if (!groupIds.length) return [];
  const { rows } = await tx.query(sqlClaimGroupsById([groupIds]));
  return rows.map(toGroup);
}

const sqlClaimDueGroups = replanned(`SELECT ${GROUP_COLUMNS} FROM alerting.alert_groups WHERE next_flush_at <= now() ORDER BY next_flush_at LIMIT $1 FOR UPDATE SKIP LOCKED`);

export async function claimDueGroups(tx: PoolClient, limit: number): Promise<GroupRow[]> {
  const { rows } = await tx.query(sqlClaimDueGroups([limit]));
  return rows.map(toGroup);
}

// Each member by primary key (OFFSET 0 keeps the subquery a nested loop): in a table that grew faster
// than its statistics the planner would otherwise hash-join a sequential scan of every alert.
const sqlGroupMembers = replanned(`SELECT m.group_id, ${columns('a')} FROM alerting.group_alerts m CROSS JOIN LATERAL (SELECT * FROM alerting.alerts x WHERE x.id = m.alert_id OFFSET 0) a
     WHERE m.group_id = ANY($1::uuid[]) ORDER BY a.starts_at, a.id`);

export async function groupMembers(tx: PoolClient, groupIds: string[]): Promise<Map<string, AlertRow[]>> {
  if (!groupIds.length) return new Map();
  const { rows } = await tx.query(sqlGroupMembers([groupIds]));
  const out = new Map<string, AlertRow[]>();
  for (const r of rows) {
    const list = out.get(r.group_id as string) ?? [];
    list.push(toAlert(r));
    out.set(r.group_id as string, list);
  }
  return out;
}

export interface FlushResult {
  groupId: string;
  /** Set when a notification went out: the digest it described. */
  notifiedDigest?: string;
}

const sqlPruneResolvedMembers = replanned(`DELETE FROM alerting.group_alerts m USING alerting.alerts a WHERE m.group_id = ANY($1) AND a.id = m.alert_id AND a.state = 'resolved'`);
const sqlDeleteEmptyGroups = replanned(`DELETE FROM alerting.alert_groups g WHERE g.id = ANY($1) AND NOT EXISTS (SELECT 1 FROM alerting.group_alerts m WHERE m.group_id = g.id)`);
const sqlRecordFlushes = replanned(`UPDATE alerting.alert_groups g SET
       last_flush_at = CASE WHEN t.digest IS NOT NULL THEN now() ELSE g.last_flush_at END,
       last_digest = coalesce(t.digest, g.last_digest),
       next_flush_at = now() + make_interval(secs => g.repeat_interval_ms::double precision / 1000)
     FROM unnest($1::uuid[], $2::text[]) AS t(id, digest) WHERE g.id = t.id`);

/**
 * After a flush: resolved members leave; empty groups are removed, live ones repeat after repeat_interval.
 * `pruning` false (no member resolved, none empty: the caller read them) skips the two deletes.
 */
export async function finishFlushes(tx: PoolClient, results: FlushResult[], pruning = true): Promise<void> {
  if (!results.length) return;
  const ids = results.map((r) => r.groupId);
  if (pruning) {
    await tx.query(sqlPruneResolvedMembers([ids]));
    await tx.query(sqlDeleteEmptyGroups([ids]));
  }
  await tx.query(sqlRecordFlushes([ids, results.map((r) => r.notifiedDigest ?? null)]));
}

/** A tenant's aggregation groups with their open members (the Alertmanager API's alert groups). */
export async function openGroups(db: Pool | PoolClient, tenantId: string): Promise<{ receiver: string; groupLabels: Record<string, string>; alerts: AlertRow[] }[]> {
  const { rows } = await db.query(
    `SELECT g.id AS group_id, g.receiver, g.group_labels, a.* FROM alerting.alert_groups g
       JOIN alerting.group_alerts m ON m.group_id = g.id JOIN alerting.alerts a ON a.id = m.alert_id
     WHERE g.tenant_id = $1 AND a.state <> 'resolved' ORDER BY g.created_at, g.id, a.fingerprint`,
    [tenantId],
  );
  const out = new Map<string, { receiver: string; groupLabels: Record<string, string>; alerts: AlertRow[] }>();
  for (const r of rows) {
    const g = out.get(r.group_id as string) ?? { receiver: r.receiver as string, groupLabels: r.group_labels as Record<string, string>, alerts: [] };
    g.alerts.push(toAlert(r));
    out.set(r.group_id as string, g);
  }
  return [...out.values()];
}
