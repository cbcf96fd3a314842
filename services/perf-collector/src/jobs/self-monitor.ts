// Polls the health endpoints of Vigil's services and records up/down and latency; each check
// is also published as ApmMetricsReceived (service vigil-<name>) so alerting can act on it.
import { ApmMetricsReceived, type Outbox } from '@vigil/events';
import type { FastifyBaseLogger } from 'fastify';
import type { Pool } from 'pg';
import { upsertSelfCheck } from '../db/apm.js';

export const PLATFORM_TENANT = '_platform';

export function parseMonitorUrls(spec: string): { service: string; url: string }[] {
  return spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((pair) => {
      const i = pair.indexOf('=');
      return { service: pair.slice(0, i), url: pair.slice(i + 1) };
    });
}

export async function checkServices(deps: { pool: Pool; outbox: Outbox }, targets: { service: string; url: string }[], timeoutMs: number): Promise<void> {
  await Promise.all(
    targets.map(async (t) => {
      const started = performance.now();
      let ok = false;
      let httpStatus: number | null = null;
      let detail = '';
      try {
        const res = await fetch(t.url, { signal: AbortSignal.timeout(timeoutMs) });
        httpStatus = res.status;
        ok = res.ok;
        if (!ok) detail = `HTTP ${res.status}`;
        await res.body?.cancel();
      } catch (err) {
        detail = (err as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (err as Error).message;
      }
      const latencyMs = Math.round((performance.now() - started) * 10) / 10;
      const checkedAt = new Date().toISOString();
      await upsertSelfCheck(deps.pool, { service: t.service, url: t.url, ok, httpStatus, latencyMs: ok ? latencyMs : null, detail, checkedAt });
      const tx = await deps.pool.connect();
      try {
        await tx.query('BEGIN');
        const samples = [{ name: 'up', value: ok ? 1 : 0 }, ...(ok ? [{ name: 'health_latency_ms', value: latencyMs }] : [])];
        await deps.outbox.enqueue(tx, ApmMetricsReceived, { service: `vigil-${t.service}`, receivedAt: checkedAt, samples }, { tenantId: PLATFORM_TENANT });
        await tx.query('COMMIT');
      } catch (err) {
        await tx.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        tx.release();
      }
    }),
  );
}

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
