// Group commit for consent writes (the kit's GroupCommit): concurrent writes of one tenant share
// a transaction — one multi-row ledger append, one outbox insert, one hash-chain append, one
// commit. A write resolves only after its batch committed, so nothing is acknowledged before it
// is durable. One lane per tenant, in the tenant's RLS scope. Two transactions of a lane overlap:
// the stage (ledger rows, outbox rows, the chain lock, then the chain entries) of the next batch
// runs while this one commits, and its chain lock waits for this commit. Stages run in arrival
// order and each ends holding the chain lock with its entries appended, so the ledger, the outbox
// and the tenant's chain keep call order. The chain append is part of the stage so that the next
// batch starts as soon as this one sends COMMIT: it then collects every write that arrived while
// this one waited for the lock, and a batch's only serial part is lock, append, COMMIT.
import type { Pool, PoolClient } from 'pg';
import { ConsentChanged, type Outbox } from '@vigil/events';
import { GroupCommit } from '@vigil/service-kit';
import { appendConsents, type ConsentRow } from '../db/consents.js';
import { appendNewToChain, lockChain, prepareNewEntries } from './audit.js';
import { asTenant } from './tenant-scope.js';

type NewConsent = Omit<ConsentRow, 'recordedAt'>;
type Staged = ConsentRow[];

export class ConsentWriter {
  private readonly commits: GroupCommit<NewConsent, ConsentRow, Staged>;

  constructor(
    pool: Pool,
    private readonly outbox: Outbox,
    /** Each ConsentChanged is appended to the tenant's audit chain in the same transaction (the audit feed does not consume it). */
    private readonly chain: { pseudonymKey: string },
  ) {
    this.commits = new GroupCommit({
      pool,
      laneOf: (row) => row.tenantId,
      transaction: (tenantId) => asTenant(tenantId),
      stage: (tx, rows, tenantId) => this.stage(tx, rows, tenantId),
      apply: async (_tx, _rows, _tenantId, stored) => stored,
      maxBatch: 500,
    });
  }

  /** Resolves with the stored row once its transaction committed. */
  write(row: NewConsent): Promise<ConsentRow> {
    return this.commits.submit(row);
  }

  private async stage(tx: PoolClient, rows: NewConsent[], tenantId: string): Promise<Staged> {
    const stored = await appendConsents(tx, rows);
    const events = await this.outbox.enqueueMany(
      tx,
      ConsentChanged,
      stored.map((r) => ({
        data: { consentId: r.id, subjectRef: r.subjectRef, purpose: r.purpose, granted: r.granted, method: r.method, noticeVersion: r.noticeVersion, recordedAt: r.recordedAt },
        opts: { tenantId },
      })),
    );
    // Redaction and canonical JSON before the lock: under it, only the hashes and one insert.
    const entries = prepareNewEntries(this.chain.pseudonymKey, events.map((event) => ({ event, topic: ConsentChanged.topic })));
    const head = await lockChain(tx, tenantId);
    await appendNewToChain(tx, tenantId, head, entries);
    return stored;
  }
}
