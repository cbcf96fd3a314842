// Event Hubs from libs/events' catalog: one hub per catalogued topic plus its dead-letter twin,
// so the infrastructure and the code cannot drift apart.
import { catalog } from '../../../libs/events/src/catalog/index.js';

/** Must equal libs/events' DLQ_SUFFIX (a test checks it; importing the bus here would pull kafkajs). */
export const DLQ_SUFFIX = '.dlq';
/** Event Hubs Standard allows at most this many hubs per namespace. */
export const STANDARD_HUB_LIMIT = 10;

export interface Hub {
  name: string;
  compacted: boolean;
  /** The catalogued topic this hub carries (its own name, or the origin of a DLQ). */
  topic: string;
  dlq: boolean;
}

export function hubsFromCatalog(defs: ReadonlyArray<{ topic: string; compacted: boolean }> = catalog): Hub[] {
  const topics = new Map<string, boolean>();
  for (const d of defs) topics.set(d.topic, (topics.get(d.topic) ?? false) || d.compacted);
  return [...topics]
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([topic, compacted]) => [
      { name: topic, compacted, topic, dlq: false },
      // A DLQ keeps every failed message, never only the latest per key.
      { name: topic + DLQ_SUFFIX, compacted: false, topic, dlq: true },
    ]);
}

export function eventHubsTier(hubCount: number): 'Standard' | 'Premium' {
  return hubCount > STANDARD_HUB_LIMIT ? 'Premium' : 'Standard';
}
