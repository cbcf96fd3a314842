// Self-monitoring on a timer: a round of health checks every PERF_SELF_MONITOR_INTERVAL_S.
import type { Outbox } from '@vigil/events';
import type { FastifyBaseLogger } from 'fastify';
import type { Pool } from 'pg';
import { parseMonitorUrls } from '../domain/self-monitoring.js';
import { checkServices } from '../operations/check-services.js';

export function startSelfMonitor(deps: { pool: Pool; outbox: Outbox }, o: { spec: string; intervalS: number; log: FastifyBaseLogger }): { stop(): Promise<void> } {
  const targets = parseMonitorUrls(o.spec);
  if (!targets.length) return { stop: async () => undefined };
  let round: Promise<void> | undefined;
  const run = () => {
    round ??= checkServices(deps, targets, Math.min(10_000, o.intervalS * 1000))
      .catch((err: Error) => o.log.warn({ err: err.message }, 'self-monitoring round failed'))
      .finally(() => (round = undefined));
  };
  const timer = setInterval(run, o.intervalS * 1000);
  timer.unref();
  run();
  return {
    async stop() {
      clearInterval(timer);
      await round;
    },
  };
}
