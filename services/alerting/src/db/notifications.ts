// SQL for the delivery queue (alerting.notifications) and per-target pacing (alerting.delivery_targets).
import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { keysetPage, type CursorKey, type Page } from '@vigil/service-kit';
import { prepared, replanned } from './statement.js';

type Db = Pool | PoolClient;

export interface QueuedNotification {
  tenantId: string;
  receiver: string;
  kind: string;
  targetKey: string;
  idempotencyKey: string;
  url: string;
  body: string;
  headers: Record<string, string>;
  /** The alerts it is about (the console shows every delivery of an alert). */
  alertIds?: string[];
}

export interface NotificationRow extends QueuedNotification {
  id: string;
  state: 'queued' | 'sending' | 'delivered' | 'dead';
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

const NOTIFICATION_COLUMNS = 'id, tenant_id, receiver, kind, target_key, idempotency_key, url, body, headers, state, attempts, next_attempt_at, lease_until, last_status, last_error, created_at, delivered_at';

const toRow = (r: Record<string, unknown>): NotificationRow => ({
  id: r.id as string,
  tenantId: r.tenant_id as string,
  receiver: r.receiver as string,
  kind: r.kind as string,
  targetKey: r.target_key as string,
  idempotencyKey: r.idempotency_key as string,
  url: r.url as string,
  body: r.body as string,
  headers: r.headers as Record<string, string>,
  state: r.state as NotificationRow['state'],
  attempts: r.attempts as number,
  lastStatus: (r.last_status as number | null) ?? null,
  lastError: (r.last_error as string | null) ?? null,
  createdAt: (r.created_at as Date).toISOString(),
  deliveredAt: r.delivered_at ? (r.delivered_at as Date).toISOString() : null,
});

const sqlEnqueueNotifications = prepared('enqueue_notifications', `WITH ins AS (
       INSERT INTO alerting.notifications (id, tenant_id, receiver, kind, target_key, idempotency_key, url, body, headers, state, attempts, lease_until)
       SELECT t.id, t.tenant_id, t.receiver, t.kind, t.target_key, t.idempotency_key, t.url, coalesce(t.body_json::text, t.body), t.headers,
              CASE WHEN p.paused THEN 'queued' ELSE $3::text END, CASE WHEN p.paused THEN 0 ELSE $4::int END,
              CASE WHEN p.paused THEN NULL ELSE now() + make_interval(secs => $5::double precision / 1000) END
       FROM json_to_recordset($1::json) AS t(id uuid, tenant_id text, receiver text, kind text, target_key text, idempotency_key text, url text, body text, body_json json, headers jsonb)
       CROSS JOIN LATERAL (SELECT $3::text = 'sending' AND EXISTS (
         SELECT 1 FROM alerting.delivery_targets d WHERE d.target_key = t.target_key AND d.next_allowed_at > now())) AS p(paused)
       ON CONFLICT (idempotency_key) DO NOTHING RETURNING id, created_at, state),
     links AS (
       INSERT INTO alerting.notification_alerts (alert_id, notification_id)
       SELECT l.alert_id, l.notification_id FROM json_to_recordset($2::json) AS l(alert_id uuid, notification_id uuid) JOIN ins ON ins.id = l.notification_id
       ON CONFLICT DO NOTHING)
     SELECT id, created_at, state FROM ins`);

/**
 * The rows as one JSON document. A JSON body (every receiver kind renders one) goes in as it is, as a
 * `json` value, whose text PostgreSQL keeps byte for byte: escaping it into a string here and unescaping
 * it there cost both sides more than the rest of the row. Any other body goes as a string.
 */
function notificationsDocument(list: QueuedNotification[], ids: string[]): string {
  return `[${list
    .map((n, i) => {
      const row = JSON.stringify({ id: ids[i], tenant_id: n.tenantId, receiver: n.receiver, kind: n.kind, target_key: n.targetKey, idempotency_key: n.idempotencyKey, url: n.url, headers: n.headers });
      return /^application\/json\b/i.test(n.headers['content-type'] ?? '') ? `${row.slice(0, -1)},"body_json":${n.body}}` : `${row.slice(0, -1)},"body":${JSON.stringify(n.body)}}`;
    })
    .join(',')}]`;
}

/**
 * Enqueues many in one statement; a repeated idempotency key adds nothing. With `leaseMs` the rows are
 * committed as 'sending', leased to the caller (its first attempt), and returned for it to send at once:
 * no claim round trip; if the caller dies, the lease runs out and any replica claims them. A row whose
 * target is paused (a 429's Retry-After) is queued instead, as the claim would skip it; each returned
 * row says which.
 */
export async function enqueueNotifications(tx: Db, list: QueuedNotification[], leaseMs?: number): Promise<NotificationRow[]> {
  if (!list.length) return [];
  const ids = list.map(() => randomUUID());
  const leased = leaseMs !== undefined;
  // One statement for the rows and their alert links; the batch travels as one JSON document (bodies
  // included, see notificationsDocument), which PostgreSQL parses faster than the driver escapes array literals.
  const { rows } = await tx.query(sqlEnqueueNotifications([
      notificationsDocument(list, ids),
      JSON.stringify(list.flatMap((n, i) => (n.alertIds ?? []).map((a) => ({ alert_id: a, notification_id: ids[i] })))),
      leased ? 'sending' : 'queued',
      leased ? 1 : 0,
      leased ? leaseMs : null,
    ]));
  const inserted = new Map(rows.map((r) => [r.id as string, { createdAt: (r.created_at as Date).toISOString(), state: r.state as 'queued' | 'sending' }]));
  return list.flatMap((n, i) => {
    const row = inserted.get(ids[i]!);
    if (row === undefined) return [];
    return [{ ...n, id: ids[i]!, state: row.state, attempts: row.state === 'sending' ? 1 : 0, lastStatus: null, lastError: null, createdAt: row.createdAt, deliveredAt: null }];
  });
}

/**
 * Extends the lease of rows this process holds, if it still holds them (still 'sending' on the same
 * attempt, lease not run out, so no replica can have claimed them); returns the ids renewed.
 */
export async function renewLeases(pool: Pool, rows: { id: string; attempts: number }[], leaseMs: number): Promise<Set<string>> {
  if (!rows.length) return new Set();
  const { rows: renewed } = await pool.query(
    `UPDATE alerting.notifications n SET lease_until = now() + make_interval(secs => $3::double precision / 1000)
     FROM unnest($1::uuid[], $2::int[]) AS t(id, attempts)
     WHERE n.id = t.id AND n.state = 'sending' AND n.attempts = t.attempts AND n.lease_until > now() RETURNING n.id`,
    [rows.map((r) => r.id), rows.map((r) => r.attempts), leaseMs],
  );
  return new Set(renewed.map((r) => r.id as string));
}

/** Gives rows leased to this process back to the queue without counting the attempt (it never sent them). */
export async function releaseUnsent(pool: Pool, ids: string[]): Promise<void> {
  if (!ids.length) return;
  await pool.query(`UPDATE alerting.notifications SET state = 'queued', attempts = attempts - 1, lease_until = NULL WHERE id = ANY($1::uuid[]) AND state = 'sending'`, [ids]);
}

async function linkAlerts(tx: Db, links: (readonly [string, string])[]): Promise<void> {
  if (!links.length) return;
  await tx.query(`INSERT INTO alerting.notification_alerts (alert_id, notification_id) SELECT * FROM unnest($1::uuid[], $2::uuid[]) ON CONFLICT DO NOTHING`, [
    links.map((l) => l[0]),
    links.map((l) => l[1]),
  ]);
}

export interface AlertDelivery {
  id: string;
  receiver: string;
  kind: string;
  state: NotificationRow['state'];
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

/**
 * Every notification that carried this alert, newest first; keyset by (created_at, id), the time as text
 * (`cursorAt`) so that its microseconds survive the cursor.
 */
export async function deliveriesOfAlert(db: Db, alertId: string, after: { createdAt: string; id: string } | undefined, limit: number): Promise<(AlertDelivery & { cursorAt: string })[]> {
  const { rows } = await db.query(
    `SELECT n.*, n.created_at::text AS cursor_at FROM alerting.notification_alerts l JOIN alerting.notifications n ON n.id = l.notification_id
     WHERE l.alert_id = $1 AND ($2::timestamptz IS NULL OR (n.created_at, n.id) < ($2::timestamptz, $3::uuid))
     ORDER BY n.created_at DESC, n.id DESC LIMIT $4`,
    [alertId, after?.createdAt ?? null, after?.id ?? null, limit],
  );
  return rows.map((r) => {
    const n = toRow(r);
    return { id: n.id, receiver: n.receiver, kind: n.kind, state: n.state, attempts: n.attempts, lastStatus: n.lastStatus, lastError: n.lastError, createdAt: n.createdAt, deliveredAt: n.deliveredAt, cursorAt: r.cursor_at as string };
  });
}

/** Enqueues once per idempotency key (a replayed flush or escalation step adds nothing). */
export async function enqueueNotification(tx: Db, n: QueuedNotification): Promise<boolean> {
  const id = randomUUID();
  const { rowCount } = await tx.query(
    `INSERT INTO alerting.notifications (id, tenant_id, receiver, kind, target_key, idempotency_key, url, body, headers)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (idempotency_key) DO NOTHING`,
    [id, n.tenantId, n.receiver, n.kind, n.targetKey, n.idempotencyKey, n.url, n.body, JSON.stringify(n.headers)],
  );
  if (!rowCount) return false;
  await linkAlerts(tx, (n.alertIds ?? []).map((a) => [a, id] as const));
  return true;
}

const sqlClaimNotifications = replanned(`UPDATE alerting.notifications n SET state = 'sending', attempts = n.attempts + 1,
            lease_until = now() + make_interval(secs => $2::double precision / 1000)
     WHERE n.id IN (
       SELECT q.id FROM alerting.notifications q
       WHERE ((q.state = 'queued' AND q.next_attempt_at <= now()) OR (q.state = 'sending' AND q.lease_until < now()))
         AND NOT EXISTS (SELECT 1 FROM alerting.delivery_targets t WHERE t.target_key = q.target_key AND t.next_allowed_at > now())
       ORDER BY q.next_attempt_at, q.created_at LIMIT $1 FOR UPDATE SKIP LOCKED)
     RETURNING ${NOTIFICATION_COLUMNS.split(', ').map((c) => `n.${c}`).join(', ')}`);

/**
 * Claims due notifications whose target is not paused, committing state 'sending' with a lease
 * before any byte is sent. A row whose lease ran out (its sender died) is claimed again.
 */
export async function claimDue(pool: Pool, limit: number, leaseMs: number): Promise<NotificationRow[]> {
  const { rows } = await pool.query(sqlClaimNotifications([limit, leaseMs]));
  return rows.map(toRow).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** Takes the target's next send slot if it is free now; returns false (and when it frees) otherwise. */
export async function takeSendSlot(pool: Pool, targetKey: string, paceMs: number): Promise<{ ok: true } | { ok: false; at: Date }> {
  await pool.query(`INSERT INTO alerting.delivery_targets (target_key) VALUES ($1) ON CONFLICT DO NOTHING`, [targetKey]);
  const { rows } = await pool.query(
    `UPDATE alerting.delivery_targets SET next_allowed_at = now() + make_interval(secs => $2::double precision / 1000)
     WHERE target_key = $1 AND next_allowed_at <= now() RETURNING next_allowed_at`,
    [targetKey, paceMs],
  );
  if (rows.length) return { ok: true };
  const cur = await pool.query(`SELECT next_allowed_at FROM alerting.delivery_targets WHERE target_key = $1`, [targetKey]);
  return { ok: false, at: cur.rows[0].next_allowed_at as Date };
}

/** A target asked us to wait (429 Retry-After): nothing goes to it before then. */
export async function pauseTarget(pool: Pool, targetKey: string, untilMs: number): Promise<void> {
  await pool.query(
    `INSERT INTO alerting.delivery_targets (target_key, next_allowed_at) VALUES ($1, now() + make_interval(secs => $2::double precision / 1000))
     ON CONFLICT (target_key) DO UPDATE SET next_allowed_at = greatest(delivery_targets.next_allowed_at, EXCLUDED.next_allowed_at)`,
    [targetKey, untilMs],
  );
}

/** Gives a claimed row back without counting the attempt (its target was busy). */
export async function release(pool: Pool, id: string, at: Date): Promise<void> {
  await pool.query(`UPDATE alerting.notifications SET state = 'queued', attempts = attempts - 1, next_attempt_at = $2, lease_until = NULL WHERE id = $1 AND state = 'sending'`, [id, at]);
}

const sqlMarkDelivered = replanned(`UPDATE alerting.notifications n SET state = 'delivered', delivered_at = now(), last_status = t.status, last_error = NULL, lease_until = NULL
     FROM unnest($1::uuid[], $2::int[]) AS t(id, status) WHERE n.id = t.id AND n.state = 'sending'`);

/** Rows still 'sending' (whichever attempt) become delivered; any other state is left alone. */
export async function markDelivered(pool: Pick<Pool, 'query'>, marks: { id: string; status: number }[]): Promise<void> {
  if (!marks.length) return;
  await pool.query(sqlMarkDelivered([marks.map((m) => m.id), marks.map((m) => m.status)]));
}

export async function scheduleRetry(pool: Pool, id: string, delayMs: number, status: number | null, error: string): Promise<void> {
  await pool.query(
    `UPDATE alerting.notifications SET state = 'queued', next_attempt_at = now() + make_interval(secs => $2::double precision / 1000),
            last_status = $3, last_error = $4, lease_until = NULL WHERE id = $1 AND state = 'sending'`,
    [id, delayMs, status, error.slice(0, 500)],
  );
}

export async function markDead(tx: PoolClient, id: string, status: number | null, error: string): Promise<boolean> {
  const { rowCount } = await tx.query(
    `UPDATE alerting.notifications SET state = 'dead', last_status = $2, last_error = $3, lease_until = NULL WHERE id = $1 AND state = 'sending'`,
    [id, status, error.slice(0, 500)],
  );
  return (rowCount ?? 0) > 0;
}

/** Newest first: (created_at, id) descending; `after` is [created_at as text, id] of the previous page's last. */
export async function listNotifications(db: Db, tenantId: string, state: string | undefined, limit: number, after?: CursorKey): Promise<Page<NotificationRow>> {
  const { rows } = await db.query(
    `SELECT *, created_at::text AS cursor_at FROM alerting.notifications WHERE tenant_id = $1 AND ($2::text IS NULL OR state = $2)
       AND ($4::timestamptz IS NULL OR (created_at, id) < ($4::timestamptz, $5::uuid))
     ORDER BY created_at DESC, id DESC LIMIT $3`,
    [tenantId, state ?? null, limit + 1, after?.[0] ?? null, after?.[1] ?? null],
  );
  return keysetPage(rows, limit, (r) => [r.cursor_at, r.id], toRow);
}
