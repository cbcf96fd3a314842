// Processing-relevant topics of every service -> the tenant's hash-chained audit log.
// Its own consumer group, so a slow audit append never delays request completion. Consumed in
// batches: one transaction per batch holds the inbox rows and every chain append of the batch.
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

export const AUDITED: AnyEventDefinition[] = [ProcessingRecorded, SubjectRequestIssued, SubjectRequestReceipt, ConsentChanged, GdprDeadlineWarning, DataHolderRegistered];

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
