// errors.events -> issues, events, buckets; IssueOpened / IssueRegressed / ErrorSpikeDetected out.
import type { Pool } from 'pg';
import { ErrorEventAccepted, handleOnce, type EventBus } from '@vigil/events';
import { processAccepted, type ProcessingOptions } from '../operations/process-accepted.js';

export function subscribeAcceptedEvents(bus: EventBus, pool: Pool, o: ProcessingOptions): void {
  bus.subscribe(ErrorEventAccepted, async (event, ctx) => {
    const log = ctx.log.child?.({ eventId: event.id }) ?? ctx.log;
    await handleOnce({ pool, schema: 'errors', consumer: 'error-event-accepted' }, event, async (tx) => {
      const n = await processAccepted(tx, o, event.data, event.tenantId, log);
      log.debug({ processed: n, referenced: event.data.events.length }, 'accepted events processed');
    });
  });
}
