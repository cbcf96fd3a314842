// Every GDPR_SCHEDULER_INTERVAL_MS: storage limitation (Art. 5(1)(e)) — expired retention
// re-erased, closed requests' raw data purged. Cross-tenant: one instance at a time.
import type { TaskScheduler } from '@vigil/service-kit';
import type { Config } from '../config.js';
import { runRetentionPurge } from '../operations/exceptions.js';
import type { RequestDeps } from '../operations/requests.js';

export function scheduleRetentionPurge(scheduler: TaskScheduler, deps: RequestDeps, config: Config): void {
  scheduler.add({
    name: 'retention-purge',
    everyMs: config.GDPR_SCHEDULER_INTERVAL_MS,
    singleton: true,
    run: async ({ log }) => {
      const purged = await runRetentionPurge(deps, config.GDPR_CLOSED_REQUEST_RETENTION_DAYS);
      if (purged) log.info({ purged }, 'retention purge done');
    },
  });
}
