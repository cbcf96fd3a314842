// gdpr.request-receipts -> receipts stored, request completed once every holder answered.
import { handleOnce, SubjectRequestReceipt, type EventBus } from '@vigil/events';
import type { Pool } from 'pg';
import { applyReceipt } from '../operations/requests.js';

export function subscribeReceipts(bus: EventBus, pool: Pool): void {
  bus.subscribe(SubjectRequestReceipt, async (event, ctx) => {
    await handleOnce({ pool, schema: 'gdpr', consumer: 'request-receipts' }, event, async (tx) => {
      const r = await applyReceipt(tx, event);
      if (!r) ctx.log.warn({ requestId: event.data.requestId, service: event.data.service }, 'receipt for an unknown request');
    });
  });
}
