// The retention purge on a timer (replaced by the kit's task scheduler).
import type { FastifyBaseLogger } from 'fastify';
import type { Pool } from 'pg';
import { purgeExpired } from '../operations/purge-expired.js';

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
