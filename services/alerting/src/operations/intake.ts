// Group commit for alerts arriving over HTTP: requests that arrive while a transaction is in flight
// are applied together in the next one, with multi-row statements. Each response still waits for
// the commit that holds its alerts (synchronous commit), so an acknowledged alert is durable.
import type { Pool, PoolClient } from 'pg';
import { claimDueGroupsById } from '../db/groups.js';
import type { AmAction } from '../domain/am-alerts.js';
import type { DispatchDeps } from './deps.js';
import { flushLockedGroups, inFlushTransaction } from './flush-groups.js';
import { fireMany, resolveMany, TouchedGroups, type Lifecycle } from './lifecycle.js';

interface Pending {
  tenantId: string;
  actions: AmAction[];
  resolve(): void;
  reject(err: unknown): void;
}

export interface IntakeOptions {
  /** Transactions in flight at once; requests arriving meanwhile wait and share the next one. */
  maxInFlight: number;
  /** Alerts per transaction at most (a larger request still gets one of its own). */
  maxAlerts: number;
}

/**
 * Applies a tenant's actions in order. A fingerprint seen twice starts a new phase, so that
 * "resolve, then fire again" and "fire, then resolve" keep the order they were sent in; within a
 * phase every fingerprint is distinct and fires and resolves are each one multi-row statement.
 */
export async function applyActions(tx: PoolClient, lc: Lifecycle, tenantId: string, actions: AmAction[], source: string, touched: TouchedGroups): Promise<void> {
  let fires: Extract<AmAction, { action: 'fire' }>[] = [];
  let resolves: Extract<AmAction, { action: 'resolve' }>[] = [];
  const seen = new Set<string>();
  const flush = async () => {
    await fireMany(tx, lc, tenantId, fires.map((f) => ({ draft: f.alert, source, startsAt: f.startsAt })), touched);
    await resolveMany(tx, lc, tenantId, resolves.map((r) => ({ fingerprint: r.fingerprint, at: r.at })), source, undefined, touched);
    fires = [];
    resolves = [];
    seen.clear();
  };
  for (const a of actions) {
    const fp = a.action === 'fire' ? a.alert.fingerprint : a.fingerprint;
    if (seen.has(fp)) await flush();
    seen.add(fp);
    if (a.action === 'fire') fires.push(a);
    else resolves.push(a);
  }
  await flush();
}

export class AlertIntake {
  private queue: Pending[] = [];
  private inFlight = 0;

  constructor(
    private readonly pool: Pool,
    private readonly deps: Omit<DispatchDeps, 'pool'>,
    private readonly o: IntakeOptions = { maxInFlight: 2, maxAlerts: 2_000 },
  ) {}

  /** Resolves once the transaction that applied these actions has committed. */
  submit(tenantId: string, actions: AmAction[]): Promise<void> {
    if (!actions.length) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.queue.push({ tenantId, actions, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.o.maxInFlight && this.queue.length) {
      const batch = this.take();
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private take(): Pending[] {
    let n = 0;
    let alerts = 0;
    while (n < this.queue.length && (n === 0 || alerts + this.queue[n]!.actions.length <= this.o.maxAlerts)) alerts += this.queue[n++]!.actions.length;
    return this.queue.splice(0, n);
  }

  private async run(batch: Pending[]): Promise<void> {
    try {
      await this.apply(batch);
      batch.forEach((p) => p.resolve());
    } catch (err) {
      // A statement's failure (an SQLSTATE: a deadlock, a value one request carried) must not fail the other
      // requests: each is retried alone, in order. Anything else (the pool saturated) fails them all at once.
      if (batch.length === 1 || typeof (err as { code?: unknown }).code !== 'string') return batch.forEach((p) => p.reject(err));
      for (const p of batch) await this.apply([p]).then(p.resolve, p.reject);
    }
  }

  /**
   * One transaction: the batch's state changes (alerts, history, outbox, groups), then the flush of
   * every group it made due (group_wait 0, or group_interval passed), so that the notification is
   * queued in the same commit as the alert it announces.
   */
  private async apply(batch: Pending[]): Promise<void> {
    const byTenant = new Map<string, AmAction[]>();
    for (const p of batch) {
      const list = byTenant.get(p.tenantId) ?? [];
      list.push(...p.actions);
      byTenant.set(p.tenantId, list);
    }
    await inFlushTransaction({ ...this.deps, pool: this.pool }, async (tx, leaseMs) => {
      const touched = new TouchedGroups();
      for (const [tenantId, actions] of [...byTenant].sort(([a], [b]) => (a < b ? -1 : 1))) await applyActions(tx, this.deps.lifecycle, tenantId, actions, 'alertmanager-api', touched);
      const due = [...touched.dueAsInserted, ...(await claimDueGroupsById(tx, touched.toClaim))];
      return { ...(await flushLockedGroups(tx, this.deps, due, leaseMs, touched.created)), n: touched.ids.size };
    });
  }
}
