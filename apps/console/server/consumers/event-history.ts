// The console's event history: one consumer group shared by every console instance
// ('console-history', so each event is recorded once), batch consumption of the catalog topics
// the timeline shows, at-least-once with an idempotent insert keyed on the event id.
import { broadcastCatalog, type EventBus } from '@vigil/events';
import { HISTORY_TYPES } from '../domain/history.js';
import type { HistoryRecorder } from '../operations/history.js';

export const HISTORY_GROUP = 'console-history';

/** The catalog definitions the history records. */
export const historyTopics = () => broadcastCatalog.filter((d) => HISTORY_TYPES.includes(d.type));

export function subscribeEventHistory(bus: EventBus, recorder: HistoryRecorder): string {
  for (const def of historyTopics()) {
    bus.subscribeBatch(def, async (events) => void (await recorder.record(events)), { group: HISTORY_GROUP, fromBeginning: true, maxBatch: 500 });
  }
  return HISTORY_GROUP;
}
