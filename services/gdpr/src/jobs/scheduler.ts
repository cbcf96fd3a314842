// Periodic work: deadline watch, retention purge, and signed audit checkpoints.
// Each job runs alone (no overlap with itself) and logs, never throws, on failure.
import type { FastifyBaseLogger } from 'fastify';

export interface Job {
  name: string;
  everyMs: number;
  run: () => Promise<unknown>;
}

export function startScheduler(jobs: Job[], log: FastifyBaseLogger): () => Promise<void> {
  const timers: NodeJS.Timeout[] = [];
  const running = new Set<Promise<unknown>>();
  for (const job of jobs) {
    let busy = false;
    timers.push(
      setInterval(() => {
        if (busy) return;
        busy = true;
        const p = job
          .run()
          .catch((err: Error) => log.warn({ job: job.name, err: err.message }, 'scheduled job failed'))
          .finally(() => {
            busy = false;
            running.delete(p);
          });
        running.add(p);
      }, job.everyMs),
    );
  }
  return async () => {
    for (const t of timers) clearInterval(t);
    await Promise.allSettled([...running]);
  };
}
