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
import { claimDue, markDead, markDelivered, pauseTarget, release, releaseUnsent, renewLeases, scheduleRetry, takeSendSlot, type NotificationRow } from '../db/notifications.js';
import { backoffMs, classify, paceMs, type SendResult } from '../domain/delivery-policy.js';
import type { LocalSender } from './deps.js';

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
 * Records deliveries in one UPDATE per few milliseconds (or per `max` of them) instead of one per
 * request. A send's concurrency slot is free once its answer came: the record follows on its own, and
 * a process dying before it only means that send is made again after its lease, with the same key.
 */
export class DeliveredMarks {
  private pending: { id: string; status: number }[] = [];
  private timer?: NodeJS.Timeout;
  private readonly writing = new Set<Promise<void>>();
  constructor(
    private readonly pool: Pool,
    private readonly log: DeliveryLogger,
    private readonly windowMs = 5,
    private readonly max = 500,
  ) {}

  mark(id: string, status: number): void {
    this.pending.push({ id, status });
    if (this.pending.length >= this.max) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.windowMs);
  }

  /** Writes what is pending and waits for every write (shutdown, tests). */
  async drain(): Promise<void> {
    this.flush();
    await Promise.all([...this.writing]);
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    if (!batch.length) return;
    const p: Promise<void> = markDelivered(this.pool, batch)
      .catch((err: unknown) => this.log.error({ err, notifications: batch.length }, 'recording deliveries failed; those rows stay sending and are sent again after their lease'))
      .finally(() => this.writing.delete(p));
    this.writing.add(p);
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
 * Keeps up to `concurrency` sends in flight: first the rows a flush of this process leased to it
 * (handed over after their commit), then due rows claimed in chunks from the shared queue. Pacing per
 * target is enforced by the shared send slot in the database, not by this process.
 */
export class Deliverer implements LocalSender {
  private readonly inFlight = new Set<Promise<void>>();
  /** Handed-over rows not started yet, with the time by which a send must have begun (its lease, less the timeout). */
  private local: { row: NotificationRow; startBy: number }[] = [];
  private head = 0;
  constructor(
    private readonly deps: DeliveryDeps,
    private readonly wake: () => void = () => undefined,
  ) {}

  /** Rows waiting here at most: at a few thousand sends a second, well inside any lease. */
  private get capacity(): number {
    return this.deps.options.concurrency * 128;
  }

  leaseFor(count: number): number | undefined {
    return this.local.length - this.head + Math.min(count, this.deps.options.concurrency) <= this.capacity ? this.deps.options.leaseMs : undefined;
  }

  take(rows: NotificationRow[], since: number, leaseMs: number): void {
    // A send must begin early enough to end (timeout) before the lease does, with a margin; a row that
    // misses it has its lease renewed first (if this process still holds it) or is left to any replica.
    const { timeoutMs } = this.deps.options;
    const startBy = since + leaseMs - timeoutMs - Math.min(1_000, (leaseMs - timeoutMs) / 5);
    for (const row of rows) this.local.push({ row, startBy });
    this.wake();
  }

  /** One step for the work loop; returns how much it did (0 = idle). */
  async step(): Promise<number> {
    const { concurrency, leaseMs } = this.deps.options;
    let free = concurrency - this.inFlight.size;
    const ready: NotificationRow[] = [];
    const late: NotificationRow[] = [];
    while (free > ready.length + late.length && this.head < this.local.length) {
      const { row, startBy } = this.local[this.head++]!;
      (Date.now() <= startBy ? ready : late).push(row);
    }
    if (this.head === this.local.length) {
      this.local = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.local.length) {
      // Under a steady inflow the queue never empties: drop the part already taken.
      this.local = this.local.slice(this.head);
      this.head = 0;
    }
    if (late.length) {
      const renewed = await renewLeases(this.deps.pool, late, leaseMs);
      ready.push(...late.filter((r) => renewed.has(r.id)));
    }
    for (const row of ready) this.track(row);
    free -= ready.length;
    if (ready.length || late.length) return ready.length + late.length;
    if (this.head < this.local.length) {
      await Promise.race(this.inFlight);
      return 1;
    }
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

  /** Waits for the sends already started, and gives back the handed-over rows never started (shutdown). */
  async drain(): Promise<void> {
    const unsent = this.local.slice(this.head).map((l) => l.row.id);
    this.local = [];
    this.head = 0;
    await Promise.all([...this.inFlight]);
    await this.deps.marks.drain();
    await releaseUnsent(this.deps.pool, unsent).catch((err: unknown) => this.deps.log.error({ err }, 'could not give back unsent notifications; their lease will run out'));
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
