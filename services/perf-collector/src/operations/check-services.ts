// One self-monitoring round: poll each Vigil service's health endpoint, record up/down and
// latency, and publish each check as ApmMetricsReceived (service vigil-<name>) so alerting can act on it.
import { ApmMetricsReceived, type Outbox } from '@vigil/events';
import { PLATFORM_TENANT, withTransaction } from '@vigil/service-kit';
import type { Pool } from 'pg';
import { upsertSelfCheck } from '../db/apm.js';
import type { MonitoredService } from '../domain/self-monitoring.js';

export async function checkServices(deps: { pool: Pool; outbox: Outbox }, targets: MonitoredService[], timeoutMs: number): Promise<void> {
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
      const samples = [{ name: 'up', value: ok ? 1 : 0 }, ...(ok ? [{ name: 'health_latency_ms', value: latencyMs }] : [])];
      await withTransaction(deps.pool, (tx) => deps.outbox.enqueue(tx, ApmMetricsReceived, { service: `vigil-${t.service}`, receivedAt: checkedAt, samples }, { tenantId: PLATFORM_TENANT }));
    }),
  );
}
