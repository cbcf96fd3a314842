// Every console instance reads every catalogued topic from the latest offset in a group of its
// own (not a shared group: each instance must see every event for its own streams).
import { randomUUID } from 'node:crypto';
import { broadcastCatalog, type EventBus } from '@vigil/events';
import type { StreamHub } from './hub.js';
import { projectForStream } from './projection.js';

export function subscribeStream(bus: EventBus, hub: StreamHub): string {
  const group = `console-${randomUUID()}`;
  // Not the firehose topics (errors.events carries every Sentry event with its payload).
  for (const def of broadcastCatalog) {
    bus.subscribe(
      def,
      async (event) => {
        // Only what the screens need reaches the browser (no personal data): see projection.ts.
        const projected = projectForStream(event);
        if (projected) hub.publish(projected);
      },
      { group, fromBeginning: false },
    );
  }
  return group;
}
