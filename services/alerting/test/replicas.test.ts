// Two alerting replicas on one database and Kafka namespace: the jobs are not singletons, they
// share the work through row claims, and every notification still goes out exactly once.
import { describe, expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { eventually, platformTest } from '@vigil/service-kit/testing';
import { api, buildAlerting, deliverySettled, FAST, openHarness, webhookSetup, type Harness } from './fixtures.js';

const it = platformTest({ label: 'alertreplicas', env: FAST, apps: { first: buildAlerting, second: buildAlerting } }).extend<{ h: Harness; second: FastifyInstance }>({
  h: [
    async ({ apps, kit }, use) => {
      const h = await openHarness(apps.first, kit, webhookSetup);
      try {
        await use(h);
      } finally {
        await h.sink.close();
      }
    },
    { scope: 'file' },
  ],
  second: [async ({ apps }, use) => use(apps.second), { scope: 'file' }],
});

type Hook = { alerts: { fingerprint: string; labels: Record<string, string> }[] };

describe('two replicas', () => {
  it('alerts posted to either replica are each notified exactly once', { timeout: 180_000 }, async ({ h, second }) => {
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
