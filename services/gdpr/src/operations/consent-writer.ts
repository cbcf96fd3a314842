// Group commit for consent writes (the kit's GroupCommit): concurrent writes of one tenant share
// a transaction — one multi-row ledger append, one outbox insert, one hash-chain append, one
// commit. A write resolves only after its batch committed, so nothing is acknowledged before it
// is durable. One lane per tenant: the transaction runs in the tenant's RLS scope and its
// batches commit one at a time in arrival order, so the ledger, the outbox and the tenant's
// chain keep call order.
import type { Pool, PoolClient } from 'pg';
import { ConsentChanged, type Outbox } from '@vigil/events';
import { GroupCommit } from '@vigil/service-kit';
import { appendConsents, type ConsentRow } from '../db/consents.js';
import { appendNewToChain } from './audit.js';
import { asTenant } from './tenant-scope.js';

type NewConsent = Omit<ConsentRow, 'recordedAt'>;

export class ConsentWriter {
  private readonly commits: GroupCommit<NewConsent, ConsentRow>;

  constructor(
    pool: Pool,
    private readonly outbox: Outbox,
    /** Each ConsentChanged is appended to the tenant's audit chain in the same transaction (the audit feed then skips it). */
    private readonly chain: { pseudonymKey: string },
  ) {
    this.commits = new GroupCommit({
      pool,
      laneOf: (row) => row.tenantId,
      transaction: (tenantId) => asTenant(tenantId),
      apply: (tx, rows, tenantId) => this.apply(tx, rows, tenantId),
      maxBatch: 500,
    });
  }

  /** Resolves with the stored row once its transaction committed. */
  write(row: NewConsent): Promise<ConsentRow> {
    return this.commits.submit(row);
  }

  private async apply(tx: PoolClient, rows: NewConsent[], tenantId: string): Promise<ConsentRow[]> {
    const stored = await appendConsents(tx, rows);
    const events = await this.outbox.enqueueMany(
      tx,
      ConsentChanged,
      stored.map((r) => ({
        data: { consentId: r.id, subjectRef: r.subjectRef, purpose: r.purpose, granted: r.granted, method: r.method, noticeVersion: r.noticeVersion, recordedAt: r.recordedAt },
        opts: { tenantId },
      })),
    );
    await appendNewToChain(tx, this.chain.pseudonymKey, tenantId, events.map((event) => ({ event, topic: ConsentChanged.topic })));
    return stored;
  }
}
