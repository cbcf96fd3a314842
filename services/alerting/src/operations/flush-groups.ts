// Flushes due aggregation groups: applies silences and inhibition, decides whether the group
// changed or is due a repeat, and enqueues the notification in the same transaction.
import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';
import { withTransaction } from '@vigil/service-kit';
import { openAlertsContaining, type AlertRow } from '../db/alerts.js';
import { getReceiver } from '../db/config.js';
import { claimDueGroups, finishFlushes, groupMembers, type FlushResult, type GroupRow } from '../db/groups.js';
import { enqueueNotifications, type NotificationRow, type QueuedNotification } from '../db/notifications.js';
import { liveSilences } from '../db/silences.js';
import { matchesAll, parseMatcher, type Labels } from '../domain/labels.js';
import { renderRequest, type GroupNotice, type NoticeAlert } from '../domain/notify-formats.js';
import type { ReceiverConfig } from '../domain/receivers.js';
import { isInhibited, type InhibitRule } from '../domain/routing.js';
import { silencedBy, type Silence } from '../domain/silences.js';
import type { DispatchDeps } from './deps.js';

export const toNotice = (a: AlertRow): NoticeAlert => ({
  fingerprint: a.fingerprint,
  status: a.state === 'resolved' ? 'resolved' : 'firing',
  acknowledged: a.state === 'acknowledged',
  severity: a.severity,
  labels: a.labels,
  annotations: a.annotations,
  startsAt: a.startsAt,
  endsAt: a.endsAt,
  generatorUrl: a.generatorUrl,
});

async function inhibited(tx: PoolClient, tenantId: string, a: AlertRow, rules: InhibitRule[]): Promise<boolean> {
  for (const r of rules) {
    if (!matchesAll(r.target_matchers.map(parseMatcher), a.labels)) continue;
    const equal: Labels = Object.fromEntries((r.equal ?? []).filter((k) => a.labels[k] !== undefined).map((k) => [k, a.labels[k]!]));
    const sources = (await openAlertsContaining(tx, tenantId, equal)).filter((s) => s.state !== 'resolved' && s.id !== a.id).map((s) => s.labels);
    if (isInhibited(a.labels, sources, [r])) return true;
  }
  return false;
}

/**
 * The notification's idempotency key, derived from the change it announces: the group, when it last
 * notified (never, or that time), what it says now (each visible alert occurrence with its state) and the
 * PagerDuty action. A flush done again from the same group state (its commit lost: background work
 * commits asynchronously, so a PostgreSQL crash can lose it after the request went out; or any replica
 * flushing the same change) derives the same key: the queue adds nothing (ON CONFLICT) and a receiver that
 * already got the first request drops the second by its Idempotency-Key. A repeat or any later change
 * starts from a later last notification, hence a new key. UUID-shaped, as the keys always were.
 */
export function notificationKey(g: Pick<GroupRow, 'tenantId' | 'receiver' | 'groupKey' | 'lastFlushAt'>, visible: Pick<AlertRow, 'id' | 'state'>[], action: string): string {
  const h = createHash('sha256')
    .update([g.tenantId, g.receiver, g.groupKey, g.lastFlushAt?.toISOString() ?? 'never', action, ...visible.map((a) => `${a.id}:${a.state}`).sort()].join('\u0000'))
    .digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** What a flush needs besides its transaction. */
export type FlushDeps = Pick<DispatchDeps, 'lifecycle' | 'externalUrl'>;

interface FlushContext {
  tx: PoolClient;
  deps: FlushDeps;
  silences: Map<string, Silence[]>;
  receivers: Map<string, ReceiverConfig | undefined>;
  now: Date;
}

/** Decides one group's flush; returns the notification to send, if any, and the flush result. */
async function flushGroup(c: FlushContext, g: GroupRow, members: AlertRow[]): Promise<{ result: FlushResult; notification?: QueuedNotification }> {
  const rkey = `${g.tenantId}\u0000${g.receiver}`;
  if (!c.receivers.has(rkey)) c.receivers.set(rkey, await getReceiver(c.tx, g.tenantId, g.receiver));
  if (!c.silences.has(g.tenantId)) c.silences.set(g.tenantId, await liveSilences(c.tx, g.tenantId));
  const receiver = c.receivers.get(rkey);
  const silences = c.silences.get(g.tenantId)!;
  const routing = await c.deps.lifecycle.routing.get(g.tenantId, c.tx);
  const visible: AlertRow[] = [];
  for (const a of members) {
    if (a.state !== 'resolved' && silences.length && silencedBy(silences, a.labels, c.now)) continue;
    if (a.state !== 'resolved' && routing.inhibitRules.length && (await inhibited(c.tx, g.tenantId, a, routing.inhibitRules))) continue;
    visible.push(a);
  }
  const firing = visible.filter((a) => a.state !== 'resolved');
  const pd = receiver?.kind === 'pagerduty';
  const digest = createHash('sha256')
    .update(visible.map((a) => `${a.fingerprint}:${a.state === 'resolved' ? 'r' : pd && a.state === 'acknowledged' ? 'a' : 'f'}`).sort().join(','))
    .digest('hex');
  const repeatDue = g.lastFlushAt !== null && c.now.getTime() - g.lastFlushAt.getTime() >= g.repeatIntervalMs - 50;
  // A group that never notified stays quiet about alerts that resolved before it spoke.
  const worthSaying = visible.length > 0 && (firing.length > 0 || g.lastDigest !== null);
  if (!receiver || !worthSaying || (digest === g.lastDigest && !(repeatDue && firing.length > 0))) return { result: { groupId: g.id } };
  const notice: GroupNotice = { tenantId: g.tenantId, receiver: g.receiver, groupKey: g.groupKey, groupLabels: g.groupLabels, alerts: visible.map(toNotice), externalUrl: c.deps.externalUrl };
  const allAcked = firing.length > 0 && firing.every((a) => a.state === 'acknowledged');
  const pdAction = pd && allAcked ? 'acknowledge' : undefined;
  const key = notificationKey(g, visible, pdAction ?? 'notify');
  const req = renderRequest(notice, receiver, key, pdAction);
  return { result: { groupId: g.id, notifiedDigest: digest }, notification: { tenantId: g.tenantId, receiver: g.receiver, kind: receiver.kind, idempotencyKey: key, ...req, alertIds: visible.map((a) => a.id) } };
}

const FLUSH_BATCH = 500;

/**
 * Flushes groups this transaction holds locked (claimed by the flush job, or just joined or touched by
 * an intake batch): decides each, enqueues the notifications and records the flushes, all in `tx`.
 * With `leaseMs` the notifications are committed leased to this process (`leased`, for its sender),
 * except those to a paused target; the others are queued (`queued` counts them; the caller wakes
 * delivery after its commit).
 */
export async function flushLockedGroups(
  tx: PoolClient,
  deps: FlushDeps,
  groups: GroupRow[],
  leaseMs?: number,
  /** Members of groups this transaction created and left alone since: not read back. */
  known: ReadonlyMap<string, AlertRow[]> = new Map(),
): Promise<{ queued: number; leased: NotificationRow[] }> {
  if (!groups.length) return { queued: 0, leased: [] };
  const members = await groupMembers(tx, groups.filter((g) => !known.has(g.id)).map((g) => g.id));
  for (const g of groups) {
    const list = known.get(g.id);
    if (list) members.set(g.id, [...list].sort((a, b) => (a.startsAt < b.startsAt ? -1 : a.startsAt > b.startsAt ? 1 : a.id < b.id ? -1 : 1)));
  }
  const c: FlushContext = { tx, deps, silences: new Map(), receivers: new Map(), now: new Date() };
  const results: FlushResult[] = [];
  const notifications: QueuedNotification[] = [];
  for (const g of groups) {
    const out = await flushGroup(c, g, members.get(g.id) ?? []);
    results.push(out.result);
    if (out.notification) notifications.push(out.notification);
  }
  const rows = await enqueueNotifications(tx, notifications, leaseMs);
  // Members were read in this transaction with the groups locked: no resolved or missing one, nothing to prune.
  const pruning = groups.some((g) => !(members.get(g.id) ?? []).length || members.get(g.id)!.some((a) => a.state === 'resolved'));
  await finishFlushes(tx, results, pruning);
  const leased = rows.filter((r) => r.state === 'sending');
  return { queued: rows.length - leased.length, leased };
}

/** Runs a flush in its own transaction, then hands its notifications to this process's sender or wakes delivery. */
export async function inFlushTransaction(deps: DispatchDeps, work: (tx: PoolClient, leaseMs: number | undefined) => Promise<{ queued: number; leased: NotificationRow[]; n: number }>): Promise<number> {
  const since = Date.now();
  const leaseMs = deps.sender?.leaseFor(FLUSH_BATCH);
  const out = await withTransaction(deps.pool, (tx) => work(tx, leaseMs));
  if (out.leased.length) deps.sender!.take(out.leased, since, leaseMs!);
  if (out.queued) deps.wakeDelivery();
  return out.n;
}

export const flushDueGroups = (deps: DispatchDeps): Promise<number> =>
  inFlushTransaction(deps, async (tx, leaseMs) => {
    const groups = await claimDueGroups(tx, FLUSH_BATCH);
    return { ...(await flushLockedGroups(tx, deps, groups, leaseMs)), n: groups.length };
  });
