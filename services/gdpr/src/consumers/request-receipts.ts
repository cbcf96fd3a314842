// gdpr.request-receipts -> receipts stored, request completed once every holder answered.
// Consumed in batches: one transaction holds the inbox rows and every receipt of the batch.
import { handleOnceBatch, SubjectRequestReceipt, type EventBus } from '@vigil/events';
import type { Pool } from 'pg';
import { applyReceipts } from '../operations/requests.js';

export function subscribeReceipts(bus: EventBus, pool: Pool): void {
  bus.subscribeBatch(
    SubjectRequestReceipt,
    async (events, ctx) => {
      await handleOnceBatch({ pool, schema: 'gdpr', consumer: 'request-receipts' }, events, async (tx, fresh) => {
        for (const e of await applyReceipts(tx, fresh)) ctx.log.warn({ requestId: e.data.requestId, service: e.data.service, eventId: e.id }, 'receipt for an unknown request');
      });
    },
    { maxBatch: 500 },
  );
}
