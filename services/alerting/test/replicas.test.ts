// Two alerting replicas on one database and Kafka namespace: the jobs are not singletons, they
// share the work through row claims: one notification per alert, and no row sent by both.
import { describe, expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { eventually, platformTest } from '@vigil/service-kit/testing';
import { api, buildAlerting, deliverySettled, FAST, openHarness, webhookSetup, type Harness } from './fixtures.js';

// Generous request timeout and lease: on a loaded machine a slow answer must not turn into a
// timeout retry, which would be a second (legitimate) send of the same key.
const SLOW_MACHINE = { ALERTING_DELIVERY_TIMEOUT_MS: '10000', ALERTING_DELIVERY_LEASE_MS: '15000' };

const it = platformTest({ label: 'alertreplicas', env: { ...FAST, ...SLOW_MACHINE }, apps: { first: buildAlerting, second: buildAlerting } }).extend<{ h: Harness; second: FastifyInstance }>({
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
    // One notification (one idempotency key) per alert: no group was flushed by both replicas.
    const keyByFingerprint = new Map<string, Set<string>>();
    const sendsByKey = new Map<string, number>();
    for (const r of replicated()) {
      const key = r.headers['idempotency-key'] as string;
      const fp = (r.json as Hook).alerts[0]!.fingerprint;
      keyByFingerprint.set(fp, (keyByFingerprint.get(fp) ?? new Set()).add(key));
      sendsByKey.set(key, (sendsByKey.get(key) ?? 0) + 1);
    }
    expect([...keyByFingerprint.values()].map((k) => k.size)).toEqual(Array(N).fill(1));
    // No row was sent by both replicas: one request per key, one recorded attempt per row.
    const queue = (await api(h, 'GET', '/v1/notifications?limit=1000')).json().items as { idempotencyKey: string; attempts: number; state: string }[];
    const ours = queue.filter((n) => sendsByKey.has(n.idempotencyKey));
    expect(ours).toHaveLength(N);
    expect(ours.every((n) => n.state === 'delivered' && n.attempts === 1)).toBe(true);
    expect([...sendsByKey.values()].every((n) => n === 1)).toBe(true);
    // Both schedulers run the jobs: none is a singleton.
    for (const app of [h.app, second]) {
      const metrics = (await app.inject({ url: '/metrics' })).body;
      expect(metrics).toMatch(/vigil_task_runs_total\{[^}]*task="group-flush"[^}]*outcome="ok"[^}]*\} [1-9]/);
      expect(metrics).toMatch(/vigil_task_runs_total\{[^}]*task="delivery"[^}]*outcome="ok"[^}]*\} [1-9]/);
    }
  });
});
