// Retention. errors.events is partitioned by month: a month every project's retention has passed
// for is dropped whole (with its event subjects); the rows of projects whose retention is shorter
// are deleted in batches (a filtered delete that only finds rows in the oldest months). Then old
// minute buckets and inbox rows. The partitions of the previous, this and the next month are
// (re)created first, so processing always finds its month.
import type { Pool } from 'pg';
import { dropEventPartition, ensureEventPartitions, listEventPartitions, longestRetentionDays } from '../db/event-partitions.js';
import { purgeExpiredCounts, purgeExpiredEvents } from '../db/retention.js';
import { expiredMonths, monthsAround } from '../domain/months.js';

const BATCH = 5000;
const DAY = 86_400_000;

export interface PurgeResult {
  /** Events deleted by the filtered delete. */
  deleted: number;
  /** Month partitions dropped (YYYYMM). */
  droppedMonths: string[];
}

/** An aborted `signal` (shutdown, timeout) stops between batches. */
export async function purgeExpired(pool: Pool, signal?: AbortSignal, now = new Date()): Promise<PurgeResult> {
  await ensureEventPartitions(pool, monthsAround(now));
  const cutoff = new Date(now.getTime() - (await longestRetentionDays(pool)) * DAY);
  const droppedMonths: string[] = [];
  for (const month of expiredMonths(await listEventPartitions(pool), cutoff)) {
    await dropEventPartition(pool, month);
    droppedMonths.push(month.suffix);
  }
  let deleted = 0;
  for (;;) {
    const n = await purgeExpiredEvents(pool, BATCH);
    deleted += n;
    if (n < BATCH) break;
    if (signal?.aborted) return { deleted, droppedMonths };
  }
  await purgeExpiredCounts(pool);
  return { deleted, droppedMonths };
}
