// Alerts past their endsAt resolve (checked at least once a second).
// Not a singleton: expired alerts are claimed with FOR UPDATE SKIP LOCKED, so replicas share the work.
import type { TaskScheduler } from '@vigil/service-kit';
import type { DispatchDeps } from '../operations/deps.js';
import { resolveExpired } from '../operations/expire-alerts.js';
import { addDrainTask } from './drain-task.js';

export const addExpiryJob = (scheduler: TaskScheduler, deps: DispatchDeps, pollMs: number) =>
  addDrainTask(scheduler, { name: 'expiry', everyMs: Math.max(pollMs, 1000), step: () => resolveExpired(deps) });
