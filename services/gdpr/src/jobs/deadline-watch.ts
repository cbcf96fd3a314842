// Every GDPR_SCHEDULER_INTERVAL_MS: requests and breaches near or past their deadline raise
// GdprDeadlineWarning. Cross-tenant: one instance at a time.
import type { Config } from '../config.js';
import { watchDeadlines, type WatchDeps } from '../operations/deadline-watch.js';

export const deadlineWatchJob = (deps: Omit<WatchDeps, 'requestWarnMs' | 'breachWarnMs'>, config: Config) => ({
  name: 'deadline-watch',
  everyMs: config.GDPR_SCHEDULER_INTERVAL_MS,
  singleton: true,
  run: () => watchDeadlines({ ...deps, requestWarnMs: config.GDPR_REQUEST_WARN_DAYS * 86_400_000, breachWarnMs: config.GDPR_BREACH_WARN_HOURS * 3_600_000 }),
});
