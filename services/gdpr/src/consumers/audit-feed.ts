// Processing-relevant topics of every service -> the tenant's hash-chained audit log.
// Its own consumer group, so a slow audit append never delays request completion. Consumed in
// batches: one transaction per batch holds the inbox rows and every chain append of the batch.
// ConsentChanged is not consumed: only gdpr's consent writer publishes it, and it appends each one
// to the chain in the transaction that writes the event (consent-writer.ts). Reading them back
// only to skip them cost one inbox row, one look-up and one more commit per batch of consent
// writes, competing with the writes for WAL flushes (bench:gdpr).
import {
  claimInbox,
  ConsentChanged,
  DataHolderRegistered,
  GdprDeadlineWarning,
  ProcessingRecorded,
  SubjectRequestIssued,
  SubjectRequestReceipt,
  type AnyEventDefinition,
  type EventBus,
} from '@vigil/events';
import type { Pool } from 'pg';
import { withTransaction } from '@vigil/service-kit';
import { appendToChains } from '../operations/audit.js';

export const AUDITED: AnyEventDefinition[] = [ProcessingRecorded, SubjectRequestIssued, SubjectRequestReceipt, GdprDeadlineWarning, DataHolderRegistered];

/** Chained by their writer in the same transaction, so not consumed here. */
export const CHAINED_BY_WRITER: AnyEventDefinition[] = [ConsentChanged];

export function subscribeAuditFeed(bus: EventBus, pool: Pool, pseudonymKey: string): void {
  for (const def of AUDITED) {
    bus.subscribeBatch(
      def,
      async (events) => {
        await withTransaction(pool, async (tx) => {
          const fresh = await claimInbox(tx, { schema: 'gdpr', consumer: 'audit-feed' }, events);
          await appendToChains(tx, pseudonymKey, fresh.map((event) => ({ event, topic: def.topic })));
        });
      },
      { group: 'gdpr-audit', maxBatch: 500, maxWaitMs: 100 },
    );
  }
}
