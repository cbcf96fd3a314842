// Runs due collection cycles: every tick it claims as many due targets as there are free
// slots and starts each cycle on its own, so a slow or unreachable target (bounded by its
// timeout) never holds back the others. Claiming in SQL keeps several instances apart.
import type { FastifyBaseLogger } from 'fastify';
import { pruneRawSamples } from '../db/series.js';
import { claimDueTargets } from '../db/targets.js';
import { collectTarget, type CollectDeps } from '../operations/collect.js';

export interface Scheduler {
  stop(): Promise<void>;
}

const ADVISE_EVERY_MS = 60 * 60 * 1000;

export function startCollectionScheduler(
  deps: CollectDeps,
  o: { tickMs: number; concurrency: number; retentionDays: number; log: FastifyBaseLogger },
): Scheduler {
  const running = new Map<string, Promise<void>>();
  const lastAdvice = new Map<string, number>();
  let stopped = false;
  let ticking = false;
  let lastPrune = 0;

  const tick = async () => {
    if (stopped || ticking) return;
    ticking = true;
    try {
      const due = await claimDueTargets(deps.pool, o.concurrency - running.size, [...running.keys()]);
      for (const target of due) {
        const advise = Date.now() - (lastAdvice.get(target.id) ?? 0) >= ADVISE_EVERY_MS;
        if (advise) lastAdvice.set(target.id, Date.now());
        const run = collectTarget(deps, target, { advise })
          .then((r) => o.log.debug({ targetId: r.targetId, status: r.status, durationMs: r.durationMs }, 'collection cycle'))
          .catch((err: Error) => o.log.error({ targetId: target.id, err: err.message }, 'collection cycle failed'))
          .finally(() => running.delete(target.id));
        running.set(target.id, run);
      }
      if (Date.now() - lastPrune >= ADVISE_EVERY_MS) {
        lastPrune = Date.now();
        const pruned = await pruneRawSamples(deps.pool, o.retentionDays);
        if (pruned) o.log.info({ pruned }, 'raw samples past retention removed');
      }
    } catch (err) {
      o.log.warn({ err: (err as Error).message }, 'collection scheduler tick failed');
    } finally {
      ticking = false;
    }
  };
  const timer = setInterval(() => void tick(), o.tickMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await Promise.allSettled(running.values());
    },
  };
}
