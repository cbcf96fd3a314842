// errors.events -> issues, events, buckets; IssueOpened / IssueRegressed / ErrorSpikeDetected out.
// Consumed in batches, one transaction per batch:
// - v2 (the fast path, the payload in the message): idempotent per event id (the events table,
//   under a per-project lock), no inbox row — one write path per event;
// - v1 (references into the spool): inbox rows for the messages, then the events taken from the spool.
import type { Pool } from 'pg';
import { ErrorEventAccepted, ErrorEventAcceptedV2, handleOnceBatch, type EventBus } from '@vigil/events';
import { withTransaction } from '@vigil/service-kit';
import { byBytes } from '../domain/byte-budget.js';
import { EventMonths } from '../operations/event-months.js';
import { applyPrepared, prepareReceived, processAcceptedBatch, type ProcessingOptions } from '../operations/process-accepted.js';

export interface BatchBounds {
  /** Most events per batch (ERRORS_PROCESS_BATCH_MAX). */
  maxBatch: number;
  /** Most message bytes per batch (ERRORS_PROCESS_BATCH_BYTES): what a batch of large events holds in memory. */
  maxBatchBytes: number;
}

export function subscribeAcceptedEvents(bus: EventBus, pool: Pool, o: ProcessingOptions, bounds: BatchBounds): void {
  // errors.events is partitioned by month of received_at: the batch's months exist before its transaction.
  const months = new EventMonths(pool);
  bus.subscribeBatch(
    ErrorEventAcceptedV2,
    async (events, ctx) => {
      await months.ensure(events.map((e) => new Date(e.data.receivedAt)));
      // Prepared (normalised, scrubbed, serialised) before the transaction, which then holds the
      // project's lock only for the writes.
      const prepared = await prepareReceived(pool, o, events, ctx.log);
      const n = await withTransaction(pool, (tx) => applyPrepared(tx, o, prepared));
      ctx.log.debug({ processed: n, messages: events.length, firstOffset: ctx.offsets[0] }, 'accepted events processed');
    },
    { ...bounds, maxWaitMs: 50 },
  );
  bus.subscribeBatch(
    ErrorEventAccepted,
    async (events, ctx) => {
      await months.ensure(events.flatMap((e) => e.data.events.map((x) => new Date(x.receivedAt))));
      // A v1 message is small but its payloads come out of the spool: one transaction per budget's
      // worth of spooled bytes (each message is still applied once: the inbox, per message).
      for (const part of byBytes(events, (e) => e.data.events.reduce((a, x) => a + (x.bytes ?? 0), 0), bounds.maxBatchBytes)) {
        await handleOnceBatch({ pool, schema: 'errors', consumer: 'error-event-accepted' }, part, async (tx, fresh) => {
          const n = await processAcceptedBatch(tx, o, fresh, ctx.log);
          ctx.log.debug({ processed: n, messages: fresh.length, firstOffset: ctx.offsets[0] }, 'spooled events processed');
        });
      }
    },
    // A v1 message references up to 5,000 spooled events: fewer messages per batch.
    { maxBatch: Math.min(200, bounds.maxBatch), maxBatchBytes: bounds.maxBatchBytes, maxWaitMs: 50 },
  );
}
