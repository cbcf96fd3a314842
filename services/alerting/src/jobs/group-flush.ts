// Due aggregation groups are flushed: at once when ingestion wakes the job, else every poll interval.
// Not a singleton: groups are claimed with FOR UPDATE SKIP LOCKED, so replicas share the work.
import type { TaskScheduler } from '@vigil/service-kit';
import type { DispatchDeps } from '../operations/deps.js';
import { flushDueGroups } from '../operations/flush-groups.js';
import { addDrainTask } from './drain-task.js';

export const addGroupFlushJob = (scheduler: TaskScheduler, deps: DispatchDeps, pollMs: number) =>
  addDrainTask(scheduler, { name: 'group-flush', everyMs: pollMs, step: () => flushDueGroups(deps) });
