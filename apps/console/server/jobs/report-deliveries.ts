// Due weekly reports, delivered by one console instance at a time (a singleton task on the kit's scheduler).
import type { TaskScheduler } from '@vigil/service-kit';
import type { ConsoleDeps } from '../operations/deps.js';
import { deliverDueSchedules } from '../operations/report-schedules.js';

export const REPORT_DELIVERIES_TASK = 'report-deliveries';

export function addReportDeliveriesJob(scheduler: TaskScheduler, deps: ConsoleDeps): void {
  scheduler.add({
    name: REPORT_DELIVERIES_TASK,
    everyMs: deps.config.CONSOLE_REPORT_SCHEDULE_MS,
    singleton: true,
    timeoutMs: 10 * 60_000,
    run: async ({ signal, log }) => {
      const sent = await deliverDueSchedules(deps, signal);
      if (sent) log.info({ sent }, 'scheduled reports delivered');
    },
  });
}
