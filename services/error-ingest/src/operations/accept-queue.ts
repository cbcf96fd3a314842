// Group commit for accepted events: requests arriving together share one transaction
// (accepted rows + one outbox message per project), and each request's promise resolves
// only after COMMIT — durable before the 200, at a fraction of a transaction per event.
// A few flushes run in parallel so that one slow fsync does not stall all intake.
import type { Pool } from 'pg';
import { ErrorEventAccepted, type Outbox } from '@vigil/events';
import { withTransaction } from '@vigil/service-kit';
import { insertAccepted, type AcceptedRow } from '../db/accepted.js';

interface Pending {
  row: AcceptedRow & { tenantId: string };
  resolve: () => void;
  reject: (err: unknown) => void;
}

export interface AcceptQueueOptions {
  pool: Pool;
  outbox: Outbox;
  maxBatch: number;
  maxBytes: number;
  /** Transactions in flight at once. */
  concurrency?: number;
}

export class AcceptQueue {
  private pending: Pending[] = [];
  private inFlight = 0;
  private scheduled = false;
  private readonly idleWaiters: (() => void)[] = [];

  constructor(private readonly o: AcceptQueueOptions) {}

  accept(row: AcceptedRow & { tenantId: string }): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ row, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves once everything accepted so far is committed (or failed). */
  drained(): Promise<void> {
    if (!this.pending.length && !this.inFlight) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  // Requests arriving in the same tick join one batch.
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (this.pending.length && this.inFlight < (this.o.concurrency ?? 4)) {
      const batch: Pending[] = [];
      let bytes = 0;
      while (this.pending.length && batch.length < this.o.maxBatch && (bytes < this.o.maxBytes || !batch.length)) {
        const p = this.pending.shift()!;
        bytes += p.row.payload.length;
        batch.push(p);
      }
      this.inFlight++;
      void this.flush(batch).finally(() => {
        this.inFlight--;
        if (this.pending.length) this.pump();
        else if (!this.inFlight) for (const w of this.idleWaiters.splice(0)) w();
      });
    }
  }

  private async flush(batch: Pending[]): Promise<void> {
    try {
      await withTransaction(this.o.pool, async (tx) => {
        await insertAccepted(tx, batch.map((p) => p.row));
        const byProject = new Map<string, Pending[]>();
        for (const p of batch) byProject.set(p.row.projectId, [...(byProject.get(p.row.projectId) ?? []), p]);
        await this.o.outbox.enqueueMany(
          tx,
          ErrorEventAccepted,
          [...byProject].map(([projectId, list]) => ({
            data: {
              projectId,
              events: list.map((p) => ({ eventId: p.row.eventId, keyId: p.row.keyId, receivedAt: p.row.receivedAt.toISOString(), bytes: p.row.payload.length })),
            },
            opts: { tenantId: list[0]!.row.tenantId },
          })),
        );
      });
      for (const p of batch) p.resolve();
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }
}
