// Processing-relevant topics of every service -> the tenant's hash-chained audit log.
// Its own consumer group, so a slow audit append never delays request completion.
import {
  ConsentChanged,
  DataHolderRegistered,
  GdprDeadlineWarning,
  handleOnce,
  ProcessingRecorded,
  SubjectRequestIssued,
  SubjectRequestReceipt,
  type AnyEventDefinition,
  type EventBus,
} from '@vigil/events';
import type { Pool } from 'pg';
import { appendToChain } from '../operations/audit.js';

export const AUDITED: AnyEventDefinition[] = [ProcessingRecorded, SubjectRequestIssued, SubjectRequestReceipt, ConsentChanged, GdprDeadlineWarning, DataHolderRegistered];

export function subscribeAuditFeed(bus: EventBus, pool: Pool, pseudonymKey: string): void {
  for (const def of AUDITED) {
    bus.subscribe(
      def,
      async (event) => {
        await handleOnce({ pool, schema: 'gdpr', consumer: 'audit-feed' }, event, async (tx) => {
          await appendToChain(tx, pseudonymKey, event, def.topic);
        });
      },
      { group: 'gdpr-audit' },
    );
  }
}
