// Group commit for consent writes: concurrent writes of one tenant share a transaction
// (one multi-row ledger append, one outbox insert, the hash-chain appends, one commit). A write
// resolves only after its batch committed, so nothing is acknowledged before it is durable. No
// timer: a batch starts as soon as the previous one of its tenant finished, so an idle writer adds
// no delay. One lane per tenant: the transaction runs in the tenant's RLS scope, its batches commit
// one at a time in arrival order, so the ledger, the outbox and the tenant's chain keep call order.
import type { Pool } from 'pg';
import { ConsentChanged, type Outbox } from '@vigil/events';
import { appendConsents, type ConsentRow } from '../db/consents.js';
import { appendToChains } from './audit.js';
import { withTransaction } from '@vigil/service-kit';
import { asTenant } from './tenant-scope.js';

type NewConsent = Omit<ConsentRow, 'recordedAt'>;

interface Pending {
  row: NewConsent;
  resolve: (row: ConsentRow) => void;
  reject: (err: unknown) => void;
}

const MAX_BATCH = 500;

export class ConsentWriter {
  private readonly queues = new Map<string, Pending[]>();
  private readonly busy = new Set<string>();

  constructor(
    private readonly pool: Pool,
    private readonly outbox: Outbox,
    /** Given: each ConsentChanged is appended to the tenant's audit chain in the same transaction
     *  (the audit feed then skips it). Without: the audit feed appends it when it arrives. */
    private readonly chain?: { pseudonymKey: string },
  ) {}

  write(row: NewConsent): Promise<ConsentRow> {
    return new Promise((resolve, reject) => {
      const lane = row.tenantId;
      const queue = this.queues.get(lane) ?? [];
      queue.push({ row, resolve, reject });
      this.queues.set(lane, queue);
      if (!this.busy.has(lane)) void this.drain(lane, row.tenantId);
    });
  }

  private async drain(lane: string, tenantId: string): Promise<void> {
    this.busy.add(lane);
    try {
      for (;;) {
        const queue = this.queues.get(lane);
        if (!queue?.length) break;
        const batch = queue.splice(0, MAX_BATCH);
        try {
          const rows = await withTransaction(this.pool, async (tx) => {
            const stored = await appendConsents(tx, batch.map((p) => p.row));
            const events = await this.outbox.enqueueMany(
              tx,
              ConsentChanged,
              stored.map((r) => ({
                data: { consentId: r.id, subjectRef: r.subjectRef, purpose: r.purpose, granted: r.granted, method: r.method, noticeVersion: r.noticeVersion, recordedAt: r.recordedAt },
                opts: { tenantId },
              })),
            );
            if (this.chain) await appendToChains(tx, this.chain.pseudonymKey, events.map((event) => ({ event, topic: ConsentChanged.topic })));
            return stored;
          }, asTenant(tenantId));
          batch.forEach((p, i) => p.resolve(rows[i]!));
        } catch (err) {
          for (const p of batch) p.reject(err);
        }
      }
    } finally {
      this.busy.delete(lane);
      this.queues.delete(lane);
    }
  }
}
