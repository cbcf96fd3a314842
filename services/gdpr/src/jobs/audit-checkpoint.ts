// Every GDPR_CHECKPOINT_INTERVAL_MS: a signed checkpoint for each tenant whose audit chain grew.
// One instance at a time (a second one would only sign the same head again).
import type { TaskScheduler } from '@vigil/service-kit';
import type { Config } from '../config.js';
import { checkpointAll, type AuditDeps } from '../operations/audit.js';

export function scheduleAuditCheckpoints(scheduler: TaskScheduler, deps: AuditDeps, config: Config): void {
  scheduler.add({
    name: 'audit-checkpoint',
    everyMs: config.GDPR_CHECKPOINT_INTERVAL_MS,
    singleton: true,
    run: async () => {
      await checkpointAll(deps);
    },
  });
}
