// Group commit for consent writes (the kit's GroupCommit): concurrent writes of one tenant share
// a transaction — the ledger rows, the outbox rows and the hash-chain entries, one commit. A write
// resolves only after its batch committed, so nothing is acknowledged before it is durable. One
// lane per tenant, in the tenant's RLS scope.
//
// A batch is two round trips: BEGIN with the tenant scope, then one multi-statement query that
// takes the tenant's chain lock, inserts the ledger and outbox rows, appends the chain entries
// (hashed in the server, after the head it reads under the lock) and commits. Nothing between the
// lock and COMMIT waits for this process, so a tenant's serial part per batch is server time plus
// one WAL flush, and several batches of a lane are in flight at once: each one's BEGIN, transfer
// and this process's work overlap the others' locked part. The lock decides their order, and
// because the ledger and outbox rows are written under it too, the ledger, the outbox and the
// chain are in the same order. Batches in flight together hold writes none of which was
// acknowledged yet, so no caller can tell which committed first.
import type { Pool, PoolClient } from 'pg';
import { ConsentChanged, type Outbox } from '@vigil/events';
import { GroupCommit } from '@vigil/service-kit';
import { appendConsentsStatement, type ConsentRow } from '../db/consents.js';
import { lockedAppendAndCommit } from '../db/audit.js';
import { prepareNewEntries } from './audit.js';
import { asTenant } from './tenant-scope.js';

type NewConsent = Omit<ConsentRow, 'recordedAt'>;

/** Transactions of one tenant in flight at once (see above). */
export const CONSENT_BATCHES_IN_FLIGHT = 2;

export class ConsentWriter {
  private readonly commits: GroupCommit<NewConsent, ConsentRow>;

  constructor(
    pool: Pool,
    private readonly outbox: Outbox,
    /** Each ConsentChanged is appended to the tenant's audit chain in the same transaction (the audit feed does not consume it). */
    private readonly chain: { pseudonymKey: string },
    o: { batchesInFlight?: number } = {},
  ) {
    this.commits = new GroupCommit({
      pool,
      laneOf: (row) => row.tenantId,
      transaction: (tenantId) => asTenant(tenantId),
      apply: (tx, rows, tenantId) => this.apply(tx, rows, tenantId),
      maxBatch: 500,
      maxInFlight: o.batchesInFlight ?? CONSENT_BATCHES_IN_FLIGHT,
    });
  }

  /** Resolves with the stored row once its transaction committed. */
  write(row: NewConsent): Promise<ConsentRow> {
    return this.commits.submit(row);
  }

  private async apply(tx: PoolClient, rows: NewConsent[], tenantId: string): Promise<ConsentRow[]> {
    const recordedAt = new Date().toISOString();
    const stored = rows.map((r) => ({ ...r, recordedAt }));
    const events = this.outbox.enqueueManyStatement(
      tx,
      ConsentChanged,
      stored.map((r) => ({
        data: { consentId: r.id, subjectRef: r.subjectRef, purpose: r.purpose, granted: r.granted, method: r.method, noticeVersion: r.noticeVersion, recordedAt: r.recordedAt },
        opts: { tenantId },
      })),
    );
    const entries = prepareNewEntries(this.chain.pseudonymKey, events.envelopes.map((event) => ({ event, topic: ConsentChanged.topic })));
    await lockedAppendAndCommit(tx, tenantId, [appendConsentsStatement(tx, stored), events.sql], entries);
    return stored;
  }
}
