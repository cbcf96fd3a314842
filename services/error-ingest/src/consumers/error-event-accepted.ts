// errors.events -> issues, events, buckets; IssueOpened / IssueRegressed / ErrorSpikeDetected out.
// Consumed in batches:
// - v2 (the fast path, the payload in the message): idempotent per event id (the events table,
//   under a per-project lock), no inbox row — one write path per event. A handed batch is applied in
//   a few parts, one transaction each, and the next part is prepared (normalised, scrubbed, serialised)
//   while the previous part's transaction runs, so Node's CPU and PostgreSQL's overlap;
// - v1 (references into the spool): inbox rows for the messages, then the events taken from the spool.
import type { Pool } from 'pg';
import { ErrorEventAccepted, ErrorEventAcceptedV2, handleOnceBatch, type EventBus } from '@vigil/events';
import { withTransaction } from '@vigil/service-kit';
import { byBytes } from '../domain/byte-budget.js';
import { EventMonths } from '../operations/event-months.js';
import { applyPrepared, prepareReceived, processAcceptedBatch, type PreparedProject, type ProcessingOptions } from '../operations/process-accepted.js';

export interface BatchBounds {
  /** Most events per batch (ERRORS_PROCESS_BATCH_MAX). */
  maxBatch: number;
  /** Most message bytes per batch (ERRORS_PROCESS_BATCH_BYTES): what a batch of large events holds in memory. */
  maxBatchBytes: number;
}

// A handed batch (at most ERRORS_PROCESS_BATCH_MAX events / _BYTES) goes in up to PARTS transactions of
// at least PART_MIN events: enough parts to overlap preparing with applying under load (large batches),
// and no split of the small batches of a consumer that keeps up, where the statements of each extra
// transaction (about 14 round trips) would only add CPU per event.
const PARTS = 4;
const PART_MIN = 64;

export function subscribeAcceptedEvents(bus: EventBus, pool: Pool, o: ProcessingOptions, bounds: BatchBounds): void {
  // errors.events is partitioned by month of received_at: the batch's months exist before its transaction.
  const months = new EventMonths(pool);
  bus.subscribeBatch(
    ErrorEventAcceptedV2,
    async (events, ctx) => {
      await months.ensure(events.map((e) => new Date(e.data.receivedAt)));
      // Parts in offset order, one transaction each; the handler returns (and the offsets are resolved)
      // once every part took effect. A part that fails fails the whole call: the runner retries or
      // bisects it as one batch, and the parts that took effect are skipped then (idempotent per event id).
      const size = Math.ceil(events.length / Math.max(1, Math.min(PARTS, Math.floor(events.length / PART_MIN))));
      const parts: (typeof events)[] = [];
      for (let from = 0; from < events.length; from += size) parts.push(events.slice(from, from + size));
      // The next part's preparation runs while this part's transaction does; its failure (PostgreSQL
      // down, for the settings read) surfaces when it is awaited, never as an unhandled rejection.
      const prepare = (k: number) => {
        const p = prepareReceived(pool, o, parts[k]!, ctx.log);
        p.catch(() => undefined);
        return p;
      };
      let n = 0;
      let next: Promise<PreparedProject[]> | undefined = prepare(0);
      for (let k = 0; next; k++) {
        const prepared = await next;
        next = k + 1 < parts.length ? prepare(k + 1) : undefined;
        n += await withTransaction(pool, (tx) => applyPrepared(tx, o, prepared));
      }
      ctx.log.debug({ processed: n, messages: events.length, parts: parts.length, firstOffset: ctx.offsets[0] }, 'accepted events processed');
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
