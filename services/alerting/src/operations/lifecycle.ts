// Alert lifecycle inside one transaction: open, refresh, acknowledge, resolve; each change is
// kept in history, published (outbox), routed into groups and escalations.
import type { PoolClient } from 'pg';
import { AlertStateChanged, type Outbox } from '@vigil/events';
import { lockAlert, markAcknowledged, openAlertsContaining, recordHistory, resolveOpenMany, upsertFiringMany, type AlertRow, type AlertState, type FiringInput } from '../db/alerts.js';
import { startEscalation, stopEscalations } from '../db/escalations.js';
import { joinGroups, touchGroupsOf, type GroupJoin, type GroupRow, type JoinedGroup } from '../db/groups.js';
import { expireSilence, liveSilences } from '../db/silences.js';
import { matchesAll, parseMatcher } from '../domain/labels.js';
import { groupKey, groupLabels, matchRoutes } from '../domain/routing.js';
import type { AlertDraft, Outcome } from '../domain/rules.js';
import { transitionInvalid } from '../errors.js';
import type { RoutingCache } from './routing-cache.js';

export interface Lifecycle {
  outbox: Outbox;
  routing: RoutingCache;
  /** Something became due (a group or escalation): run the dispatcher soon. */
  wake(): void;
}

/**
 * The groups a transaction joined or touched; for those it created and did not change afterwards, their
 * members as inserted (a flush in the same transaction need not read them back).
 */
export class TouchedGroups {
  readonly ids = new Set<string>();
  readonly created = new Map<string, AlertRow[]>();
  /** Of the created groups, those due now (group_wait 0), as inserted: not claimed again (this transaction holds them). */
  private readonly createdDue = new Map<string, GroupRow>();
  private readonly groupsOf = new Map<string, string[]>();

  joined(g: JoinedGroup, members: AlertRow[]): void {
    if (g.created && !this.ids.has(g.id)) {
      this.created.set(g.id, members);
      if (g.dueNow && g.row) this.createdDue.set(g.id, g.row);
      for (const a of members) this.groupsOf.set(a.id, [...(this.groupsOf.get(a.id) ?? []), g.id]);
    } else this.forget(g.id);
    this.ids.add(g.id);
  }

  /** These alerts were written again (a later phase refreshed them): their groups are read back. */
  refreshed(alertIds: string[]): void {
    for (const a of alertIds) for (const g of this.groupsOf.get(a) ?? []) this.forget(g);
  }

  touched(id: string): void {
    this.forget(id);
    this.ids.add(id);
  }

  /** Created groups due now, unchanged since: flushed as inserted. */
  get dueAsInserted(): GroupRow[] {
    return [...this.createdDue.values()];
  }

  /** The other groups, to be claimed if due: created groups not due yet are not (their group_wait is ahead). */
  get toClaim(): string[] {
    return [...this.ids].filter((id) => !this.created.has(id));
  }

  private forget(id: string): void {
    this.created.delete(id);
    this.createdDue.delete(id);
  }
}

const severityOf = (s: string) => (s === 'critical' || s === 'info' ? s : 'warning');

interface Change {
  alert: AlertRow;
  from: AlertState | null;
  actor: string;
  note?: string;
}

/** History rows (unless the statement that made the changes wrote them) and AlertStateChanged events. */
async function changed(tx: PoolClient, lc: Lifecycle, tenantId: string, changes: Change[], historyRecorded = false): Promise<void> {
  if (!changes.length) return;
  if (!historyRecorded) await recordHistory(tx, tenantId, changes.map((c) => ({ alertId: c.alert.id, from: c.from, to: c.alert.state, actor: c.actor, note: c.note })));
  const changedAt = new Date().toISOString();
  await lc.outbox.enqueueMany(
    tx,
    AlertStateChanged,
    changes.map(({ alert: a }) => ({
      data: { alertId: a.id, fingerprint: a.fingerprint, state: a.state, severity: severityOf(a.severity), labels: a.labels, annotations: a.annotations, changedAt },
      opts: { tenantId },
    })),
  );
}

/**
 * Opens or refreshes alerts; new ones are recorded, published, grouped and escalated. The groups they
 * joined are added to `touched` (the intake flushes the due ones in the same transaction).
 */
export async function fireMany(tx: PoolClient, lc: Lifecycle, tenantId: string, items: FiringInput[], touched?: TouchedGroups): Promise<AlertRow[]> {
  const unique = [...new Map(items.map((i) => [i.draft.fingerprint, i])).values()];
  const results = await upsertFiringMany(tx, tenantId, unique);
  const opened = results.filter((r) => r.opened).map((r) => r.alert);
  touched?.refreshed(results.filter((r) => !r.opened).map((r) => r.alert.id));
  if (!opened.length) return results.map((r) => r.alert);
  await changed(tx, lc, tenantId, opened.map((alert) => ({ alert, from: null, actor: alert.source })), true);
  const routing = await lc.routing.get(tenantId, tx);
  const joins: GroupJoin[] = [];
  for (const alert of opened) {
    for (const m of matchRoutes(routing.root, alert.labels)) {
      const gl = groupLabels(m.groupBy, alert.labels);
      joins.push({ receiver: m.receiver, groupKey: groupKey(m.path, gl), groupLabels: gl, groupWaitMs: m.groupWaitMs, groupIntervalMs: m.groupIntervalMs, repeatIntervalMs: m.repeatIntervalMs, alertId: alert.id });
      const policy = m.escalation ? routing.policies.get(m.escalation) : undefined;
      if (policy?.steps[0]) await startEscalation(tx, tenantId, alert.id, policy.name, policy.steps[0].afterMinutes * 60_000);
    }
  }
  const byId = new Map(opened.map((a) => [a.id, a]));
  for (const g of await joinGroups(tx, tenantId, joins)) touched?.joined(g, g.alertIds.map((id) => byId.get(id)!));
  lc.wake();
  return results.map((r) => r.alert);
}

export async function fire(tx: PoolClient, lc: Lifecycle, tenantId: string, draft: AlertDraft, source: string, startsAt = new Date()): Promise<AlertRow> {
  const [alert] = await fireMany(tx, lc, tenantId, [{ draft, source, startsAt }]);
  return alert!;
}

export async function resolve(tx: PoolClient, lc: Lifecycle, tenantId: string, fingerprint: string, actor: string, at = new Date(), note?: string): Promise<AlertRow | undefined> {
  return (await resolveMany(tx, lc, tenantId, [{ fingerprint, at }], actor, note))[0];
}

/** Resolves open alerts by fingerprint, each at its own time, with multi-row statements. */
export async function resolveMany(tx: PoolClient, lc: Lifecycle, tenantId: string, items: { fingerprint: string; at: Date }[], actor: string, note?: string, touched?: TouchedGroups): Promise<AlertRow[]> {
  const unique = [...new Map(items.map((i) => [i.fingerprint, i])).values()];
  const done = await resolveOpenMany(tx, tenantId, unique);
  if (!done.length) return [];
  const ids = done.map((d) => d.alert.id);
  await changed(tx, lc, tenantId, done.map((d) => ({ alert: d.alert, from: d.from, actor, note })));
  await stopEscalations(tx, ids);
  for (const id of await touchGroupsOf(tx, ids)) touched?.touched(id);
  await expireUntilResolvedSilences(tx, tenantId, done.map((d) => d.alert));
  lc.wake();
  return done.map((d) => d.alert);
}

export async function acknowledge(tx: PoolClient, lc: Lifecycle, tenantId: string, id: string, actor: string, note?: string): Promise<AlertRow | undefined> {
  const current = await lockAlert(tx, tenantId, id);
  if (!current) return undefined;
  if (current.state !== 'firing') throw transitionInvalid(`alert ${id} is ${current.state}; only a firing alert can be acknowledged`);
  const alert = await markAcknowledged(tx, id, actor);
  await changed(tx, lc, tenantId, [{ alert, from: 'firing', actor, note }]);
  await stopEscalations(tx, id);
  await touchGroupsOf(tx, id);
  lc.wake();
  return alert;
}

/** Applies rule outcomes; `pending` ones are handled by the caller (threshold `for`). */
export async function applyOutcomes(tx: PoolClient, lc: Lifecycle, tenantId: string, outcomes: Outcome[], source: string, at: Date): Promise<void> {
  await fireMany(tx, lc, tenantId, outcomes.flatMap((o) => (o.action === 'fire' ? [{ draft: o.alert, source, startsAt: at }] : [])));
  for (const o of outcomes) if (o.action === 'resolve') await resolve(tx, lc, tenantId, o.fingerprint, source, at);
}

/** "Silence until resolved": once nothing open matches it any more, it ends. */
async function expireUntilResolvedSilences(tx: PoolClient, tenantId: string, resolved: AlertRow[]): Promise<void> {
  const silences = (await liveSilences(tx, tenantId)).filter((s) => s.untilResolved);
  for (const s of silences) {
    const matchers = s.matchers.map(parseMatcher);
    if (!resolved.some((a) => matchesAll(matchers, a.labels))) continue;
    const equal = Object.fromEntries(matchers.filter((m) => m.op === '=' && m.value !== '').map((m) => [m.name, m.value]));
    const stillOpen = (await openAlertsContaining(tx, tenantId, equal)).some((a) => matchesAll(matchers, a.labels));
    if (!stillOpen) await expireSilence(tx, tenantId, s.id, 'until-resolved');
  }
}
