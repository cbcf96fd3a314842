// Retention: events past their project's retention, in batches, then old minute buckets.
import type { Pool } from 'pg';
import { purgeExpiredCounts, purgeExpiredEvents } from '../db/retention.js';

const BATCH = 5000;

/** Purges in batches of 5,000; an aborted `signal` (shutdown, timeout) stops between batches. */
export async function purgeExpired(pool: Pool, signal?: AbortSignal): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await purgeExpiredEvents(pool, BATCH);
    total += n;
    if (n < BATCH) break;
    if (signal?.aborted) return total;
  }
  await purgeExpiredCounts(pool);
  return total;
}
