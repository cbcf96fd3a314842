// Two alerting replicas on one database and Kafka namespace: the jobs are not singletons, they
// share the work through row claims, and every notification still goes out exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { eventually } from '@vigil/service-kit/testing';
import { buildApp } from '../src/app.js';
import { loadServiceConfig } from '../src/config.js';
import { api, deliverySettled, FAST, harness, webhookSetup, type Harness } from './fixtures.js';

let h: Harness;
let second: FastifyInstance;
beforeAll(async () => {
  h = await harness('alertreplicas');
  second = await buildApp(loadServiceConfig({ ...h.env.env, ...FAST }));
  await second.ready();
  await webhookSetup(h);
});
afterAll(async () => {
  await second?.close();
  await h?.close();
});

type Hook = { alerts: { fingerprint: string; labels: Record<string, string> }[] };

describe('two replicas', () => {
  it('alerts posted to either replica are each notified exactly once', async () => {
    const N = 40;
    const batch = (from: number) => Array.from({ length: N / 2 }, (_, i) => ({ labels: { alertname: 'Replicated', instance: `i${from + i}` } }));
    const [a, b] = await Promise.all([
      api(h, 'POST', '/api/v2/alerts', batch(0)),
      second.inject({ method: 'POST', url: '/api/v2/alerts', headers: h.headers, payload: batch(N / 2) }),
    ]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    const replicated = () => h.sink.on('/hook').filter((r) => (r.json as Hook).alerts[0]?.labels.alertname === 'Replicated');
    await eventually(async () => new Set(replicated().map((r) => (r.json as Hook).alerts[0]!.fingerprint)).size === N, 30_000);
    // Positive signal before counting: nothing is queued or in flight on either replica.
    await deliverySettled(h);
    const keys = replicated().map((r) => r.headers['idempotency-key']);
    expect(keys).toHaveLength(N);
    expect(new Set(keys).size).toBe(N);
    // Both schedulers run the jobs: none is a singleton.
    for (const app of [h.app, second]) {
      const metrics = (await app.inject({ url: '/metrics' })).body;
      expect(metrics).toMatch(/vigil_task_runs_total\{[^}]*task="group-flush"[^}]*outcome="ok"[^}]*\} [1-9]/);
      expect(metrics).toMatch(/vigil_task_runs_total\{[^}]*task="delivery"[^}]*outcome="ok"[^}]*\} [1-9]/);
    }
  });
});
