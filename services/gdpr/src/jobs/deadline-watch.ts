// Every GDPR_SCHEDULER_INTERVAL_MS: requests and breaches near or past their deadline raise
// GdprDeadlineWarning. Cross-tenant: one instance at a time.
import type { TaskScheduler } from '@vigil/service-kit';
import type { Config } from '../config.js';
import { watchDeadlines, type WatchDeps } from '../operations/deadline-watch.js';

export function scheduleDeadlineWatch(scheduler: TaskScheduler, deps: Omit<WatchDeps, 'requestWarnMs' | 'breachWarnMs'>, config: Config): void {
  const watch = { ...deps, requestWarnMs: config.GDPR_REQUEST_WARN_DAYS * 86_400_000, breachWarnMs: config.GDPR_BREACH_WARN_HOURS * 3_600_000 };
  scheduler.add({
    name: 'deadline-watch',
    everyMs: config.GDPR_SCHEDULER_INTERVAL_MS,
    singleton: true,
    run: async ({ log }) => {
      const raised = await watchDeadlines(watch);
      if (raised) log.info({ raised }, 'deadline warnings raised');
    },
  });
}
