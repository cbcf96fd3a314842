// Two perf-collector replicas on one database: the collection task is a singleton, so exactly
// one replica runs cycles while the other skips; when the holder goes away the other takes over.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Counter } from 'prom-client';
import { createTestEnv, eventually, type TestEnv } from '@vigil/service-kit/testing';
import { dropNamespaceTopics, readyApp } from './fixtures/app.js';

let env: TestEnv;
let apps: FastifyInstance[] = [];
let headers: Record<string, string>;

beforeAll(async () => {
  env = await createTestEnv('perfreplicas');
  const replicaEnv = { ...env.env, PERF_SCHEDULER_TICK_MS: '100', PERF_TARGET_TIMEOUT_MS: '5000', PERF_DEFAULT_INTERVAL_S: '3600' };
  apps = [await readyApp(replicaEnv), await readyApp(replicaEnv)];
  headers = { authorization: `Bearer ${await env.apiKey('acme', 'write')}` };
});

afterAll(async () => {
  for (const app of apps) await app.close();
  if (env) await dropNamespaceTopics(env.env);
  await env?.cleanup();
});

/** Runs of the collection task on this replica, by outcome. */
async function runs(app: FastifyInstance): Promise<Record<string, number>> {
  const counter = app.infra.registry.getSingleMetric('vigil_task_runs_total') as Counter | undefined;
  const out: Record<string, number> = {};
  for (const v of (await counter?.get())?.values ?? []) if (v.labels.task === 'collection') out[String(v.labels.outcome)] = v.value;
  return out;
}

const holder = () => apps.find((a) => a.infra.scheduler.holding().includes('collection'));

async function registerUnreachable(app: FastifyInstance, name: string): Promise<string> {
  // Nothing listens on port 1: the cycle ends fast as `unreachable`, which is all this test needs.
  const res = await app.inject({ method: 'POST', url: '/v1/databases', headers, payload: { name, connectionString: 'postgres://postgres@127.0.0.1:1/x' } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

const status = async (app: FastifyInstance, id: string) => (await app.inject({ url: `/v1/databases/${id}`, headers })).json().status as string;

describe('collection across replicas', () => {
  it('runs on exactly one replica; the other skips until the holder stops, then takes over', async () => {
    const first = await eventually(async () => holder(), 30_000);
    const other = apps.find((a) => a !== first)!;
    // The other replica has tried (and been refused the lock) several times before we look at it.
    await eventually(async () => ((await runs(other)).skipped ?? 0) >= 3, 30_000);
    expect(other.infra.scheduler.holding()).not.toContain('collection');

    const a = await registerUnreachable(other, 'replica-a');
    await eventually(async () => (await status(other, a)) === 'unreachable', 30_000);
    expect((await runs(first)).ok ?? 0).toBeGreaterThan(0);
    expect((await runs(other)).ok ?? 0).toBe(0);

    await first.close();
    apps = apps.filter((x) => x !== first);
    await eventually(async () => other.infra.scheduler.holding().includes('collection'), 30_000);
    const b = await registerUnreachable(other, 'replica-b');
    await eventually(async () => (await status(other, b)) === 'unreachable', 30_000);
    expect((await runs(other)).ok ?? 0).toBeGreaterThan(0);
  });
});
