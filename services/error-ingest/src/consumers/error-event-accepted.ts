// errors.events -> issues, events, buckets; IssueOpened / IssueRegressed / ErrorSpikeDetected out.
// Consumed in batches: one transaction per batch (inbox rows for every message, then one
// processing pass per project over the events of all its messages in the batch).
import type { Pool } from 'pg';
import { ErrorEventAccepted, handleOnceBatch, type EventBus } from '@vigil/events';
import { processAcceptedBatch, type ProcessingOptions } from '../operations/process-accepted.js';

export function subscribeAcceptedEvents(bus: EventBus, pool: Pool, o: ProcessingOptions): void {
  bus.subscribeBatch(
    ErrorEventAccepted,
    async (events, ctx) => {
      await handleOnceBatch({ pool, schema: 'errors', consumer: 'error-event-accepted' }, events, async (tx, fresh) => {
        const n = await processAcceptedBatch(tx, o, fresh, ctx.log);
        ctx.log.debug({ processed: n, messages: fresh.length, firstOffset: ctx.offsets[0] }, 'accepted events processed');
      });
    },
    { maxBatch: 200, maxWaitMs: 100 },
  );
}
