// Group commit: concurrent writers share one transaction, so one commit (one WAL flush) covers
// many of them. A caller's promise settles only after its batch committed, so nothing is
// acknowledged before it is durable. No timer: a batch starts as soon as the lane may take one,
// so an idle lane adds no delay and a busy one grows its batches. A lane's batches run in
// arrival order: one at a time, or overlapped through `stage` (below); or, with maxInFlight
// and no stage, side by side in an order the caller's own lock decides.
import type pg from 'pg';
import { withTransaction, type TransactionOptions } from './transaction.js';

export interface GroupCommitOptions<I, O, S = undefined> {
  pool: pg.Pool;
  /**
   * Optional first part of a batch's work, in its transaction. The lane's next batch begins as
   * soon as this part resolved (not when the batch committed), so the next batch's early
   * statements overlap this one's commit. Stages run one at a time in arrival order: what a
   * stage writes is ordered like the batches. To keep a later part ordered too, take a lock at the
   * end of the stage (e.g. an advisory lock): the next stage then waits for this commit.
   */
  stage?: (tx: pg.PoolClient, items: I[], lane: string) => Promise<S>;
  /** Applies the batch (after its stage) inside its transaction; returns one result per item, in item order. */
  apply: (tx: pg.PoolClient, items: I[], lane: string, staged: S) => Promise<O[]>;
  /** Items of one lane are applied in arrival order (default: one lane). */
  laneOf?: (item: I) => string;
  /** Transaction options of a lane's batches (e.g. its tenant scope). */
  transaction?: (lane: string) => TransactionOptions;
  /** Most items per transaction (default 500). */
  maxBatch?: number;
  /**
   * Most transactions of one lane at a time (default 2 with a stage, else 1). Without a stage,
   * more than one means a lane's batches run side by side and may commit in either order (each
   * batch keeps its own items in order): for a caller that orders what must be ordered itself,
   * e.g. with a lock taken first in the transaction, and wants the round trips of several batches
   * to overlap.
   */
  maxInFlight?: number;
}

interface Pending<I, O> {
  item: I;
  resolve: (result: O) => void;
  reject: (err: unknown) => void;
}

export class GroupCommit<I, O, S = undefined> {
  private readonly queues = new Map<string, Pending<I, O>[]>();
  /** Transactions of each lane not committed yet (they may outlive the drain loop that started them). */
  private readonly running = new Map<string, Set<Promise<void>>>();
  private readonly maxBatch: number;
  private readonly maxInFlight: number;

  constructor(private readonly o: GroupCommitOptions<I, O, S>) {
    this.maxBatch = o.maxBatch ?? 500;
    this.maxInFlight = o.maxInFlight ?? (o.stage ? 2 : 1);
    if (!Number.isInteger(this.maxBatch) || this.maxBatch < 1) throw new Error(`GroupCommit: maxBatch must be a positive integer (got ${this.maxBatch})`);
    if (!Number.isInteger(this.maxInFlight) || this.maxInFlight < 1) throw new Error(`GroupCommit: maxInFlight must be a positive integer (got ${this.maxInFlight})`);
  }

  /** Resolves with the item's result once the transaction holding it committed. */
  submit(item: I): Promise<O> {
    return new Promise((resolve, reject) => {
      const lane = this.o.laneOf?.(item) ?? '';
      const queue = this.queues.get(lane);
      if (queue) {
        queue.push({ item, resolve, reject });
        return;
      }
      this.queues.set(lane, [{ item, resolve, reject }]);
      void this.drain(lane);
    });
  }

  /**
   * The lane's queue exists while its drain loop runs; items arriving meanwhile join the next
   * batch. A batch starts once the previous one's stage is done and fewer than maxInFlight run.
   */
  private async drain(lane: string): Promise<void> {
    const queue = this.queues.get(lane)!;
    const running = this.running.get(lane) ?? new Set<Promise<void>>();
    this.running.set(lane, running);
    try {
      while (queue.length) {
        while (running.size >= this.maxInFlight) await Promise.race(running);
        const batch = queue.splice(0, this.maxBatch);
        let staged!: () => void;
        const stageDone = new Promise<void>((r) => (staged = r));
        const done = this.commit(lane, batch, staged).finally(() => {
          staged();
          running.delete(done);
          if (!running.size && this.running.get(lane) === running && !this.queues.has(lane)) this.running.delete(lane);
        });
        running.add(done);
        await stageDone;
      }
    } finally {
      this.queues.delete(lane);
      if (!running.size) this.running.delete(lane);
    }
  }

  /**
   * One transaction for `batch`; `staged` is called once its stage is done. If `stage` or
   * `apply` fails on what may be one item's data (an error of its own, or a data or constraint
   * error of PostgreSQL), a batch of several is split in two and each half retried, so one bad
   * item fails alone instead of failing its neighbours (the halves may then commit after later
   * batches of the lane: none of these items was acknowledged). Anything else (no connection, a
   * failed COMMIT) fails the whole batch at once.
   */
  private async commit(lane: string, batch: Pending<I, O>[], staged: () => void = () => undefined): Promise<void> {
    let ownError: unknown;
    const own = <T>(p: Promise<T>) =>
      p.catch((err: unknown) => {
        ownError = err;
        throw err;
      });
    try {
      const results = await withTransaction(this.o.pool, async (tx) => {
        const items = batch.map((p) => p.item);
        let s: S;
        try {
          s = this.o.stage ? await own(this.o.stage(tx, items, lane)) : (undefined as S);
        } finally {
          staged();
        }
        const out = await own(this.o.apply(tx, items, lane, s));
        if (out.length !== batch.length) throw new Error(`GroupCommit: apply returned ${out.length} results for ${batch.length} items`);
        return out;
      }, this.o.transaction?.(lane));
      batch.forEach((p, i) => p.resolve(results[i]!));
    } catch (err) {
      staged();
      if (batch.length === 1 || err !== ownError || !itemSpecific(err)) {
        for (const p of batch) p.reject(err);
        return;
      }
      const mid = Math.ceil(batch.length / 2);
      await this.commit(lane, batch.slice(0, mid));
      await this.commit(lane, batch.slice(mid));
    }
  }
}

/** An error that may belong to one item: thrown by the caller's code, or a PostgreSQL data (22) or integrity (23) error. */
function itemSpecific(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return !(err instanceof Error && /connection|terminat|timeout/i.test(err.message));
  return code.startsWith('22') || code.startsWith('23');
}
