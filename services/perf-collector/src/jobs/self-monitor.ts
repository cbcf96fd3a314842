// Self-monitoring on the kit's task scheduler: a round of health checks every
// PERF_SELF_MONITOR_INTERVAL_S, the first right after start. Singleton, so that several
// replicas do not each publish the same checks.
import type { Outbox } from '@vigil/events';
import type { TaskSpec } from '@vigil/service-kit';
import type { Pool } from 'pg';
import { parseMonitorUrls } from '../domain/self-monitoring.js';
import { checkServices } from '../operations/check-services.js';

/** The task, or none when PERF_SELF_MONITOR_URLS is empty. */
export function selfMonitorTask(deps: { pool: Pool; outbox: Outbox }, o: { spec: string; intervalS: number }): TaskSpec | undefined {
  const targets = parseMonitorUrls(o.spec);
  if (!targets.length) return undefined;
  const everyMs = o.intervalS * 1000;
  const checkTimeoutMs = Math.min(10_000, everyMs);
  return {
    name: 'self-monitor',
    everyMs,
    initialDelayMs: 0,
    singleton: true,
    timeoutMs: checkTimeoutMs + 30_000,
    run: () => checkServices(deps, targets, checkTimeoutMs),
  };
}
