// Shared setup for alerting tests: the kit's serviceTest fixture (the app on its own database,
// cloned from a migrated template, and Kafka namespace), plus an HTTP sink and an admin key.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { eventually, serviceTest, type TestKit } from '@vigil/service-kit/testing';
import { buildApp } from '../src/app.js';
import { loadServiceConfig } from '../src/config.js';
import { HttpSink } from './sink.js';

export interface Harness {
  app: FastifyInstance;
  kit: TestKit;
  sink: HttpSink;
  headers: { authorization: string };
}

/** Fast timings for tests; a test may override any variable. */
export const FAST = {
  // Small pools: the PostgreSQL server (100 connections) is shared with parallel test files.
  DATABASE_POOL_MAX: '5',
  ALERTING_POLL_INTERVAL_MS: '50',
  ALERTING_DELIVERY_BACKOFF_BASE_MS: '200',
  ALERTING_DELIVERY_BACKOFF_MAX_MS: '1000',
  ALERTING_DELIVERY_TIMEOUT_MS: '2000',
  ALERTING_DELIVERY_LEASE_MS: '3000',
  ALERTING_EXTERNAL_URL: 'http://vigil.test',
};

/** Builds the app from env the way server.ts does. */
export const buildAlerting = (env: Record<string, string>) => buildApp(loadServiceConfig(env));

/** A sink and an admin key of tenant acme around a ready app; `setup` runs once, before the file's tests. */
export async function openHarness(app: FastifyInstance, kit: TestKit, setup?: (h: Harness) => Promise<void>): Promise<Harness> {
  const sink = await new HttpSink().start();
  const h: Harness = { app, kit, sink, headers: await kit.auth('acme', 'admin') };
  try {
    await setup?.(h);
  } catch (err) {
    await sink.close();
    throw err;
  }
  return h;
}

/** `test` with file-scoped fixtures `app`, `kit` (serviceTest) and `h` (the app, a sink, a key). */
export function alertingTest(label: string, o: { env?: Record<string, string>; setup?: (h: Harness) => Promise<void> } = {}) {
  return serviceTest({ label, env: { ...FAST, ...o.env }, build: buildAlerting }).extend<{ h: Harness }>({
    h: [
      async ({ app, kit }, use) => {
        const h = await openHarness(app, kit, o.setup);
        try {
          await use(h);
        } finally {
          await h.sink.close();
        }
      },
      { scope: 'file' },
    ],
  });
}

export async function api(h: Harness, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) {
  return h.app.inject({ method, url, headers: h.headers, ...(payload === undefined ? {} : { payload: payload as object }) });
}

/** A webhook receiver and a root route that groups by all labels with no wait. */
export async function webhookSetup(h: Harness, extraRoute: Record<string, unknown> = {}): Promise<void> {
  const put = await api(h, 'PUT', '/v1/receivers/hook', { kind: 'webhook', url: h.sink.url('/hook'), secret: 'a-very-secret-hmac-key' });
  if (put.statusCode !== 204) throw new Error(put.body);
  const routing = await api(h, 'PUT', '/v1/routing', {
    route: { receiver: 'hook', group_by: ['...'], group_wait: '0s', group_interval: '1s', repeat_interval: '1h', ...extraRoute },
    inhibit_rules: [],
  });
  if (routing.statusCode !== 204) throw new Error(routing.body);
}

/**
 * Positive signal for "nothing was sent": no notification is waiting or in flight any more, so
 * every one that the code under test enqueued has reached the sink.
 */
export async function deliverySettled(h: Harness, timeoutMs = 30_000): Promise<void> {
  await eventually(async () => {
    const list = (await api(h, 'GET', '/v1/notifications?limit=1000')).json().items as { state: string }[];
    return list.every((n) => n.state === 'delivered' || n.state === 'dead');
  }, timeoutMs, 50);
}

/**
 * Positive signal that the group flusher has passed every group due before now: a marker alert,
 * posted now, is flushed in the same or a later batch (groups are claimed in due order), and its
 * notification is delivered; then the queue has settled. Routed by the root route to /hook.
 */
export async function flushMarker(h: Harness): Promise<void> {
  const id = randomUUID();
  const res = await api(h, 'POST', '/api/v2/alerts', [{ labels: { alertname: 'FlushMarker', marker: id } }]);
  if (res.statusCode !== 200) throw new Error(res.body);
  await eventually(async () => h.sink.on('/hook').some((r) => (r.json as { alerts?: { labels: Record<string, string> }[] }).alerts?.[0]?.labels.marker === id), 30_000);
  await deliverySettled(h);
}

/** Positive signal that a consumer handled these events: their inbox rows are committed with the effect. */
export async function processed(h: Harness, consumer: string, eventIds: string[], timeoutMs = 30_000): Promise<void> {
  await eventually(async () => {
    const { rows } = await h.app.infra.pool.query(`SELECT count(*)::int AS n FROM alerting.inbox WHERE consumer = $1 AND event_id = ANY($2::uuid[])`, [consumer, eventIds]);
    return rows[0].n === eventIds.length;
  }, timeoutMs, 50);
}
