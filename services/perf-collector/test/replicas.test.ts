// Two perf-collector replicas on one database: the collection task is a singleton, so exactly
// one replica runs cycles while the other skips; when the holder goes away the other takes over.
import { describe, expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Counter } from 'prom-client';
import { eventually, platformTest } from '@vigil/service-kit/testing';
import { buildPerf, LABEL } from './fixtures/app.js';

// Two perf-collector apps on one database and Kafka namespace.
const it = platformTest({
  label: LABEL,
  env: { PERF_SCHEDULER_TICK_MS: '100', PERF_TARGET_TIMEOUT_MS: '5000', PERF_DEFAULT_INTERVAL_S: '3600' },
  apps: { one: buildPerf, two: buildPerf },
});

/** Runs of the collection task on this replica, by outcome. */
async function runs(app: FastifyInstance): Promise<Record<string, number>> {
  const counter = app.infra.registry.getSingleMetric('vigil_task_runs_total') as Counter | undefined;
  const out: Record<string, number> = {};
  for (const v of (await counter?.get())?.values ?? []) if (v.labels.task === 'collection') out[String(v.labels.outcome)] = v.value;
  return out;
}

const holder = (apps: FastifyInstance[]) => apps.find((a) => a.infra.scheduler.holding().includes('collection'));

async function registerUnreachable(app: FastifyInstance, headers: Record<string, string>, name: string): Promise<string> {
  // Nothing listens on port 1: the cycle ends fast as `unreachable`, which is all this test needs.
  const res = await app.inject({ method: 'POST', url: '/v1/databases', headers, payload: { name, connectionString: 'postgres://postgres@127.0.0.1:1/x' } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

const status = async (app: FastifyInstance, headers: Record<string, string>, id: string) => (await app.inject({ url: `/v1/databases/${id}`, headers })).json().status as string;

describe('collection across replicas', () => {
  it('runs on exactly one replica; the other skips until the holder stops, then takes over', { timeout: 180_000 }, async ({ apps, kit }) => {
    const replicas = [apps.one, apps.two];
    const headers = await kit.auth('acme', 'write');
    const first = await eventually(async () => holder(replicas), 30_000);
    const other = replicas.find((a) => a !== first)!;
    // The other replica has tried (and been refused the lock) several times before we look at it.
    await eventually(async () => ((await runs(other)).skipped ?? 0) >= 3, 30_000);
    expect(other.infra.scheduler.holding()).not.toContain('collection');

    const a = await registerUnreachable(other, headers, 'replica-a');
    await eventually(async () => (await status(other, headers, a)) === 'unreachable', 30_000);
    expect((await runs(first)).ok ?? 0).toBeGreaterThan(0);
    expect((await runs(other)).ok ?? 0).toBe(0);

    // The holder goes away (closing twice at the end of the file is harmless).
    await first.close();
    await eventually(async () => other.infra.scheduler.holding().includes('collection'), 30_000);
    const b = await registerUnreachable(other, headers, 'replica-b');
    await eventually(async () => (await status(other, headers, b)) === 'unreachable', 30_000);
    expect((await runs(other)).ok ?? 0).toBeGreaterThan(0);
  });
});
