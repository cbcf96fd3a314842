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

interface PendingMark {
  id: string;
  status: number;
  done(): void;
}

export interface DeliveredMarksOptions {
  /** Rows per UPDATE at most. */
  max: number;
  /** UPDATEs in flight at once; marks arriving meanwhile go in the next one (group commit). */
  maxWrites: number;
  /** Longest wait between attempts while writes fail. */
  retryMaxMs: number;
}

/**
 * Records deliveries in as few UPDATEs as it can: marks arriving while a write is in flight share the
 * next one. `mark` resolves once its row is committed as delivered, and the sender keeps the send's
 * concurrency slot until then, so at most `concurrency` answered sends of a process are unrecorded at any
 * time. A failed write is retried until it lands: an error (a connection refused, a pool timeout) must not
 * leave an answered row 'sending' for its lease to run out and another claim to send it again. Only a
 * process that dies first leaves its answered-but-unrecorded sends (at most its in-flight window) to be
 * re-sent after the lease, with the same idempotency key and body.
 */
export class DeliveredMarks {
  private pending: PendingMark[] = [];
  private writes = 0;
  private failures = 0;
  /** Set by drain: a write failing after this gives up (shutdown must end even with the database gone). */
  private giveUpAt = Infinity;
  private scheduled = false;
  private readonly writing = new Set<Promise<void>>();
  private readonly o: DeliveredMarksOptions;
  constructor(
    private readonly pool: Pick<Pool, 'query'>,
    private readonly log: DeliveryLogger,
    o: Partial<DeliveredMarksOptions> = {},
  ) {
    this.o = { max: 500, maxWrites: 2, retryMaxMs: 1_000, ...o };
  }

  /** Resolves once the row is committed as delivered (never rejects: a failed write is retried; see drain). */
  mark(id: string, status: number): Promise<void> {
    return new Promise((done) => {
      this.pending.push({ id, status, done });
      this.schedule();
    });
  }

  /**
   * Waits until every pending mark is written (shutdown). From now on a write that fails after `giveUpMs`
   * gives up: its rows stay 'sending' and are sent again after their lease, with the same key.
   */
  async drain(giveUpMs = 10_000): Promise<void> {
    this.giveUpAt = Date.now() + giveUpMs;
    while (this.pending.length || this.writes) {
      this.schedule();
      await Promise.race([...this.writing, new Promise((r) => setTimeout(r, 50))]);
    }
  }

  private schedule(): void {
    if (this.scheduled || !this.pending.length || this.writes >= this.o.maxWrites) return;
    this.scheduled = true;
    const run = () => {
      this.scheduled = false;
      this.write();
    };
    // Next turn of the event loop (answers that arrived together share the write), or a backoff while failing.
    if (this.failures) setTimeout(run, Math.min(this.o.retryMaxMs, 25 * 2 ** this.failures));
    else setImmediate(run);
  }

  private write(): void {
    if (this.writes >= this.o.maxWrites) return;
    const batch = this.pending.splice(0, this.o.max);
    if (!batch.length) return;
    this.writes++;
    const p: Promise<void> = markDelivered(this.pool, batch)
      .then(
        () => {
          this.failures = 0;
          for (const b of batch) b.done();
        },
        (err: unknown) => {
          this.failures++;
          if (Date.now() > this.giveUpAt) {
            this.log.error({ err, notifications: batch.length }, 'could not record deliveries before shutdown; those rows are sent again after their lease');
            for (const b of batch) b.done();
            return;
          }
          this.pending.unshift(...batch);
          this.log.error({ err, notifications: batch.length, attempt: this.failures }, 'recording deliveries failed; retrying (the rows stay leased meanwhile)');
        },
      )
      .finally(() => {
        this.writes--;
        this.writing.delete(p);
        this.schedule();
      });
    this.writing.add(p);
    this.schedule();
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

async function deliverOne(deps: DeliveryDeps, n: NotificationRow, paused: (targetKey: string, untilMs: number) => void): Promise<void> {
  const { options: o, pool } = deps;
  const pace = paceMs(n.kind);
  if (pace > 0) {
    const slot = await takeSendSlot(pool, n.targetKey, pace);
    if (!slot.ok) return release(pool, n.id, slot.at);
  }
  const result = await send(n, o.timeoutMs);
  deps.onOutcome?.(result.kind, n);
  // The slot stays taken until the delivery is committed (see DeliveredMarks).
  if (result.kind === 'delivered') return deps.marks.mark(n.id, result.status);
  if (result.kind === 'permanent') return deadLetter(deps, n, result.status, result.error);
  if (n.attempts >= o.maxAttempts) return deadLetter(deps, n, result.status ?? null, result.error);
  const wait = Math.max(result.retryAfterMs ?? 0, backoffMs(n.attempts, o.backoffBaseMs, o.backoffMaxMs));
  if (result.retryAfterMs !== undefined) {
    paused(n.targetKey, Date.now() + result.retryAfterMs);
    await pauseTarget(pool, n.targetKey, result.retryAfterMs);
  }
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
  /**
   * Targets this process saw a 429 from, until when. Handed-over rows skip the claim, which is where a
   * pause recorded in the database is honoured; a flush queues (does not lease) rows to a target paused
   * at its commit, and this covers the rows already handed over when the 429 comes.
   */
  private readonly pausedUntil = new Map<string, number>();
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
    const now = Date.now();
    const isPaused = (r: NotificationRow) => (this.pausedUntil.get(r.targetKey) ?? 0) > now;
    const held = this.pausedUntil.size ? ready.filter(isPaused) : [];
    if (held.length) await this.giveBack(held);
    for (const row of held.length ? ready.filter((r) => !isPaused(r)) : ready) this.track(row);
    free -= ready.length - held.length;
    if (late.length) {
      // Rows not renewed (or if renewing fails) are not sent here: their lease runs out and any replica claims them.
      const renewed = await renewLeases(this.deps.pool, late, leaseMs).catch((err: unknown) => {
        this.deps.log.error({ err, notifications: late.length }, 'could not renew leases; those rows are left to run out and be claimed again');
        return new Set<string>();
      });
      const kept = late.filter((r) => renewed.has(r.id));
      for (const row of kept) this.track(row);
    }
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
    // The marks' deadline starts now, so that sends waiting on a mark end even if the database is gone.
    const marks = this.deps.marks.drain();
    await Promise.all([...this.inFlight]);
    await marks;
    await releaseUnsent(this.deps.pool, unsent).catch((err: unknown) => this.deps.log.error({ err }, 'could not give back unsent notifications; their lease will run out'));
  }

  /** Handed-over rows to a paused target go back to the queue, due when the pause ends (not an attempt). */
  private async giveBack(rows: NotificationRow[]): Promise<void> {
    await Promise.all(rows.map((r) => release(this.deps.pool, r.id, new Date(this.pausedUntil.get(r.targetKey)!))))
      .catch((err: unknown) => this.deps.log.error({ err, notifications: rows.length }, 'could not give back notifications to a paused target; their lease will run out'));
  }

  private readonly paused = (targetKey: string, untilMs: number): void => {
    if ((this.pausedUntil.get(targetKey) ?? 0) < untilMs) this.pausedUntil.set(targetKey, untilMs);
    // Forget pauses that are over (a map of every target ever limited would only grow).
    const now = Date.now();
    for (const [k, until] of this.pausedUntil) if (until <= now) this.pausedUntil.delete(k);
  };

  private track(n: NotificationRow): void {
    const p: Promise<void> = deliverOne(this.deps, n, this.paused)
      .catch((err: unknown) => {
        // The row stays 'sending' and is reclaimed when its lease runs out.
        this.deps.log.error({ err, notification: n.id }, 'delivery bookkeeping failed');
      })
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }
}
