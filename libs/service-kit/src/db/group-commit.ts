// Group commit: concurrent writers share one transaction, so one commit (one WAL flush) covers
// many of them. A caller's promise settles only after its batch committed, so nothing is
// acknowledged before it is durable. No timer: a batch starts as soon as the previous one of
// its lane finished, so an idle lane adds no delay and a busy one grows its batches. Batches of
// one lane commit one at a time in arrival order (for writes that must stay ordered, such as a
// hash chain).
import type pg from 'pg';
import { withTransaction, type TransactionOptions } from './transaction.js';

export interface GroupCommitOptions<I, O> {
  pool: pg.Pool;
  /** Applies a batch inside its transaction; returns one result per item, in item order. */
  apply: (tx: pg.PoolClient, items: I[], lane: string) => Promise<O[]>;
  /** Items of one lane are applied in arrival order, one batch at a time (default: one lane). */
  laneOf?: (item: I) => string;
  /** Transaction options of a lane's batches (e.g. its tenant scope). */
  transaction?: (lane: string) => TransactionOptions;
  /** Most items per transaction (default 500). */
  maxBatch?: number;
}

interface Pending<I, O> {
  item: I;
  resolve: (result: O) => void;
  reject: (err: unknown) => void;
}

export class GroupCommit<I, O> {
  private readonly queues = new Map<string, Pending<I, O>[]>();
  private readonly maxBatch: number;

  constructor(private readonly o: GroupCommitOptions<I, O>) {
    this.maxBatch = o.maxBatch ?? 500;
    if (!Number.isInteger(this.maxBatch) || this.maxBatch < 1) throw new Error(`GroupCommit: maxBatch must be a positive integer (got ${this.maxBatch})`);
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

  /** The lane's queue exists while its drain loop runs; items arriving meanwhile join the next batch. */
  private async drain(lane: string): Promise<void> {
    const queue = this.queues.get(lane)!;
    try {
      while (queue.length) await this.commit(lane, queue.splice(0, this.maxBatch));
    } finally {
      this.queues.delete(lane);
    }
  }

  /**
   * One transaction for `batch`. If `apply` fails on what may be one item's data (an error of
   * its own, or a data or constraint error of PostgreSQL), a batch of several is split in two and
   * each half retried in order, so one bad item fails alone instead of failing its neighbours.
   * Anything else (no connection, a failed COMMIT) fails the whole batch at once.
   */
  private async commit(lane: string, batch: Pending<I, O>[]): Promise<void> {
    let applyError: unknown;
    try {
      const results = await withTransaction(this.o.pool, async (tx) => {
        const out = await this.o.apply(tx, batch.map((p) => p.item), lane).catch((err: unknown) => {
          applyError = err;
          throw err;
        });
        if (out.length !== batch.length) throw new Error(`GroupCommit: apply returned ${out.length} results for ${batch.length} items`);
        return out;
      }, this.o.transaction?.(lane));
      batch.forEach((p, i) => p.resolve(results[i]!));
    } catch (err) {
      if (batch.length === 1 || err !== applyError || !itemSpecific(err)) {
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
