// Escalation steps that came due notify their receiver (checked at least once a second).
// Not a singleton: due steps are claimed with FOR UPDATE SKIP LOCKED, so replicas share the work.
import type { TaskScheduler } from '@vigil/service-kit';
import type { DispatchDeps } from '../operations/deps.js';
import { escalateDue } from '../operations/escalate.js';
import { addDrainTask } from './drain-task.js';

export const addEscalationJob = (scheduler: TaskScheduler, deps: DispatchDeps, pollMs: number) =>
  addDrainTask(scheduler, { name: 'escalation', everyMs: Math.max(pollMs, 1000), step: () => escalateDue(deps) });
