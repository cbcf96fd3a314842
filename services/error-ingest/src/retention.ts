// Scheduled purge of events past their project's retention, and of old minute buckets.
import type { FastifyBaseLogger } from 'fastify';
import type { Pool } from 'pg';
import { purgeExpiredCounts, purgeExpiredEvents } from './db/subjects.js';

export async function purgeExpired(pool: Pool): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await purgeExpiredEvents(pool);
    total += n;
    if (n < 5000) break;
  }
  await purgeExpiredCounts(pool);
  return total;
}

export function scheduleRetention(pool: Pool, everyMs: number, log: FastifyBaseLogger): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = purgeExpired(pool)
      .then((n) => (n ? log.info({ purged: n }, 'retention purge') : undefined))
      .catch((err: Error) => log.warn({ err: err.message }, 'retention purge failed; next run retries'))
      .finally(() => (running = undefined));
  }, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
