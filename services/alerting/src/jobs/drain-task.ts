// The shape every alerting job has on the kit's scheduler: each run repeats a step until the step
// reports no work, and work done elsewhere in this process can wake the job at once.
import type { TaskScheduler } from '@vigil/service-kit';

/** A run gives the scheduler back its turn after this long even under load, and asks to run again. */
const RUN_BUDGET_MS = 30_000;

export interface DrainTask {
  /** Run soon: folded into a run already waiting to start, never stacked. */
  wake(): void;
}

export function addDrainTask(scheduler: TaskScheduler, o: { name: string; everyMs: number; step: () => Promise<number> }): DrainTask {
  let waiting = false;
  const wake = () => {
    if (waiting) return;
    waiting = true;
    void scheduler.trigger(o.name).catch(() => (waiting = false));
  };
  scheduler.add({
    name: o.name,
    everyMs: o.everyMs,
    initialDelayMs: 0,
    timeoutMs: RUN_BUDGET_MS * 2,
    run: async ({ signal }) => {
      // A wake from now on needs a run of its own: this one may already have looked at the work.
      waiting = false;
      const until = Date.now() + RUN_BUDGET_MS;
      while (!signal.aborted) {
        if ((await o.step()) === 0) return;
        if (Date.now() > until) return wake();
      }
    },
  });
  return { wake };
}
