// Collection cycles on the kit's task scheduler, as a singleton: one replica claims the due
// targets, as many as there are free slots, and starts each cycle on its own, so a slow or
// unreachable target (bounded by its budget) never holds back the others. Cycles outlive the
// tick that started them; `drain` stops new claims and waits for them on shutdown. Raw samples
// past retention are pruned by a second singleton task.
import type { TaskSpec } from '@vigil/service-kit';
import { claimDueTargets, collectTarget, type CollectDeps } from '../operations/collect.js';
import { pruneExpiredSamples } from '../operations/retention.js';

const ADVISE_EVERY_MS = 60 * 60 * 1000;

export interface CollectionJob {
  tasks: TaskSpec[];
  /** No new cycles; resolves once the running ones have finished. */
  drain(): Promise<void>;
}

export function collectionJob(deps: CollectDeps, o: { tickMs: number; concurrency: number; retentionDays: number }): CollectionJob {
  const running = new Map<string, Promise<void>>();
  const lastAdvice = new Map<string, number>();
  let draining = false;

  const collection: TaskSpec = {
    name: 'collection',
    everyMs: o.tickMs,
    singleton: true,
    timeoutMs: deps.settings.timeoutMs,
    async run({ log }) {
      if (draining) return;
      const due = await claimDueTargets(deps.pool, o.concurrency - running.size, [...running.keys()]);
      for (const target of due) {
        const advise = Date.now() - (lastAdvice.get(target.id) ?? 0) >= ADVISE_EVERY_MS;
        if (advise) lastAdvice.set(target.id, Date.now());
        const run = collectTarget(deps, target, { advise })
          .then((r) => log.debug({ targetId: r.targetId, status: r.status, durationMs: r.durationMs }, 'collection cycle'))
          .catch((err: Error) => log.error({ targetId: target.id, err: err.message }, 'collection cycle failed'))
          .finally(() => running.delete(target.id));
        running.set(target.id, run);
      }
    },
  };
  const retention: TaskSpec = {
    name: 'raw-sample-retention',
    everyMs: ADVISE_EVERY_MS,
    initialDelayMs: o.tickMs,
    singleton: true,
    async run({ log }) {
      const pruned = await pruneExpiredSamples(deps.pool, o.retentionDays);
      if (pruned) log.info({ pruned }, 'raw samples past retention removed');
    },
  };
  return {
    tasks: [collection, retention],
    async drain() {
      draining = true;
      await Promise.allSettled(running.values());
    },
  };
}
