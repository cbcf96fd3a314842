// The policy clock: every DR_SCHEDULER_TICK_MS, runs what the policies' cron schedules say is
// due (backups, drills, interrupted verifications) and evaluates RPO. A singleton on the kit's
// scheduler: one replica ticks at a time (the per-policy lock still guards each operation).
import type { TaskScheduler } from '@vigil/service-kit';
import type { OperationContext } from '../operations/context.js';
import { runDueOperations } from '../operations/run-due.js';
import { watchPhysicalSources } from '../operations/physical-watch.js';
import type { OperationRunner } from '../operations/runner.js';

export const POLICY_SCHEDULE_TASK = 'policy-schedule';
export const PHYSICAL_WATCH_TASK = 'physical-watch';

export function schedulePolicies(scheduler: TaskScheduler, ctx: OperationContext, runner: OperationRunner): void {
  scheduler.add({
    name: POLICY_SCHEDULE_TASK,
    everyMs: ctx.config.DR_SCHEDULER_TICK_MS,
    singleton: true,
    // A tick only starts operations (they run in the runner, outside the tick), so it is short.
    timeoutMs: Math.max(60_000, ctx.config.DR_SCHEDULER_TICK_MS),
    run: ({ signal }) => runDueOperations(ctx, runner, new Date(), signal),
  });
  // Heartbeats into physical sources and the WAL-archiving watch: short, frequent, one replica.
  scheduler.add({
    name: PHYSICAL_WATCH_TASK,
    everyMs: ctx.config.DR_HEARTBEAT_TICK_MS,
    singleton: true,
    timeoutMs: 60_000,
    run: ({ signal }) => watchPhysicalSources(ctx, new Date(), signal),
  });
}
