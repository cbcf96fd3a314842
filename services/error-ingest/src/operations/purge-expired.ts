// Retention: events past their project's retention, in batches, then old minute buckets.
import type { Pool } from 'pg';
import { purgeExpiredCounts, purgeExpiredEvents } from '../db/retention.js';

const BATCH = 5000;

export async function purgeExpired(pool: Pool): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await purgeExpiredEvents(pool, BATCH);
    total += n;
    if (n < BATCH) break;
  }
  await purgeExpiredCounts(pool);
  return total;
}
