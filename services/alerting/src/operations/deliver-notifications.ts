// Sends queued notifications. A row is committed as 'sending' (with a lease) before the request
// goes out and as 'delivered' right after the 2xx, so a restart re-sends only requests whose
// outcome was never recorded, with the same idempotency key and body.
// Like Alertmanager's notifier, delivery never raises alerts itself: a dead-lettered
// notification is recorded, counted and published (NotificationDeadLettered); the builtin rule
// of that name turns the event into an alert through the normal path (consumers/).
import type { Pool } from 'pg';
import { NotificationDeadLettered, type Outbox } from '@vigil/events';
import { withTransaction } from '@vigil/service-kit';
import { postJson, SendError } from '../clients/webhook.js';
import { claimDue, markDead, markDelivered, pauseTarget, release, scheduleRetry, takeSendSlot, type NotificationRow } from '../db/notifications.js';
import { backoffMs, classify, paceMs, type SendResult } from '../domain/delivery-policy.js';

export interface DeliveryOptions {
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  leaseMs: number;
  timeoutMs: number;
  concurrency: number;
}

export interface DeliveryLogger {
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/**
 * Records deliveries in one UPDATE per event-loop turn instead of one per request; each caller
 * still waits for its own row to be committed.
 */
export class DeliveredMarks {
  private pending: { id: string; status: number; done: (err?: unknown) => void }[] = [];
  constructor(private readonly pool: Pool) {}

  mark(id: string, status: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ id, status, done: (err) => (err ? reject(err) : resolve()) });
      if (this.pending.length === 1) setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    try {
      await markDelivered(this.pool, batch);
      batch.forEach((b) => b.done());
    } catch (err) {
      batch.forEach((b) => b.done(err));
    }
  }
}

export interface DeliveryDeps {
  marks: DeliveredMarks;
  pool: Pool;
  outbox: Outbox;
  options: DeliveryOptions;
  log: DeliveryLogger;
  /** Every send's outcome, and 'dead' once per dead-lettered notification (metrics). */
  onOutcome?(kind: SendResult['kind'] | 'dead', n: NotificationRow): void;
}

async function send(n: NotificationRow, timeoutMs: number): Promise<SendResult> {
  try {
    const res = await postJson(n.url, n.headers, n.body, timeoutMs);
    return classify(res.status, res.retryAfter, new Date());
  } catch (err) {
    return { kind: 'retry', error: err instanceof SendError ? err.code : 'network error' };
  }
}

/** Where a URL points, without path or query (which hold Slack's secret). */
const safeTarget = (url: string) => {
  try {
    return new URL(url).origin;
  } catch {
    return 'invalid-url';
  }
};

async function deadLetter(deps: DeliveryDeps, n: NotificationRow, status: number | null, error: string): Promise<void> {
  const recorded = await withTransaction(deps.pool, async (tx) => {
    if (!(await markDead(tx, n.id, status, error))) return false;
    await deps.outbox.enqueue(
      tx,
      NotificationDeadLettered,
      { notificationId: n.id, receiver: n.receiver, kind: n.kind, attempts: n.attempts, lastStatus: status, error: error.slice(0, 500), deadAt: new Date().toISOString() },
      { tenantId: n.tenantId },
    );
    return true;
  });
  if (!recorded) return;
  deps.log.error({ notification: n.id, receiver: n.receiver, target: safeTarget(n.url), attempts: n.attempts, error }, 'notification dead-lettered');
  deps.onOutcome?.('dead', n);
}

async function deliverOne(deps: DeliveryDeps, n: NotificationRow): Promise<void> {
  const { options: o, pool } = deps;
  const pace = paceMs(n.kind);
  if (pace > 0) {
    const slot = await takeSendSlot(pool, n.targetKey, pace);
    if (!slot.ok) return release(pool, n.id, slot.at);
  }
  const result = await send(n, o.timeoutMs);
  deps.onOutcome?.(result.kind, n);
  if (result.kind === 'delivered') return deps.marks.mark(n.id, result.status);
  if (result.kind === 'permanent') return deadLetter(deps, n, result.status, result.error);
  if (n.attempts >= o.maxAttempts) return deadLetter(deps, n, result.status ?? null, result.error);
  const wait = Math.max(result.retryAfterMs ?? 0, backoffMs(n.attempts, o.backoffBaseMs, o.backoffMaxMs));
  if (result.retryAfterMs !== undefined) await pauseTarget(pool, n.targetKey, result.retryAfterMs);
  deps.log.warn({ notification: n.id, receiver: n.receiver, target: safeTarget(n.url), attempt: n.attempts, status: result.status, error: result.error, retryInMs: wait }, 'notification send failed');
  await scheduleRetry(pool, n.id, wait, result.status ?? null, result.error);
}

/**
 * Keeps up to `concurrency` sends in flight: claims as many due rows as there are free slots,
 * starts them, and comes back when slots free up. Pacing per target is enforced by the
 * shared send slot in the database, not by this process.
 */
export class Deliverer {
  private readonly inFlight = new Set<Promise<void>>();
  constructor(private readonly deps: DeliveryDeps) {}

  /** One step for the work loop; returns how much it did (0 = idle). */
  async step(): Promise<number> {
    const { concurrency, leaseMs } = this.deps.options;
    const free = concurrency - this.inFlight.size;
    // Claim in chunks, not one row per finished send, to keep the claim queries few.
    if (free < Math.max(1, Math.floor(concurrency / 4)) || free <= 0) {
      await Promise.race(this.inFlight);
      return 1;
    }
    const batch = await claimDue(this.deps.pool, free, leaseMs);
    for (const n of batch) this.track(n);
    if (!batch.length && this.inFlight.size) {
      await Promise.race(this.inFlight);
      return 1;
    }
    return batch.length;
  }

  /** Waits for the sends already started (shutdown). */
  async drain(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  private track(n: NotificationRow): void {
    const p: Promise<void> = deliverOne(this.deps, n)
      .catch((err: unknown) => {
        // The row stays 'sending' and is reclaimed when its lease runs out.
        this.deps.log.error({ err, notification: n.id }, 'delivery bookkeeping failed');
      })
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }
}
