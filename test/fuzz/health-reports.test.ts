// Issue 13 §4, honest reports: /readyz names the dependency that failed and how; /healthz stays
// up; a health score says which checks had nothing to examine ("skipped", with the reason).
// perf-collector stands in for every service here: the probes are the kit's, shared by all five.
import { expect } from 'vitest';
import { serviceTest } from '@vigil/service-kit/testing';
import { buildApp } from '../../services/perf-collector/src/app.js';
import { loadServiceConfig } from '../../services/perf-collector/src/config.js';

// Nothing listens on port 1: Redis is unreachable, PostgreSQL and Kafka are fine.
const test = serviceTest({ label: 'fuzzperf', env: { DATABASE_POOL_MAX: '3', PERF_COLLECTOR_ENABLED: 'false', REDIS_URL: 'redis://127.0.0.1:1' }, build: (env) => buildApp(loadServiceConfig(env)) });

test('/readyz answers 503 naming the failed dependency; /healthz says the process is alive', async ({ app }) => {
  const ready = await app.inject({ url: '/readyz' });
  expect(ready.statusCode).toBe(503);
  expect(ready.json()).toEqual({ status: 'unavailable', checks: { postgres: 'ok', redis: 'unreachable', kafka: 'ok' }, detail: 'not ready: redis unreachable' });
  const live = await app.inject({ url: '/healthz' });
  expect(live.statusCode).toBe(200);
  expect(live.json()).toEqual({ status: 'ok' });
});

test('a pushed health snapshot without the optional figures reports those checks as skipped, with the reason', async ({ app, kit }) => {
  const headers = await kit.auth('acme', 'write');
  const target = await app.inject({ method: 'POST', url: '/v1/databases', headers, payload: { name: 'orders', connectionString: 'postgres://vigil@127.0.0.1:9/orders', intervalSeconds: 86_400 } });
  expect(target.statusCode, target.body).toBe(201);
  const res = await app.inject({
    method: 'POST',
    url: `/v1/databases/${target.json().id}/health-snapshots`,
    headers,
    payload: { databaseName: 'orders', maxMeanQueryMs: 12, connectionsUsed: 5, maxConnections: 100, cacheHitRatio: 0.99, connectionLatencyMs: 2 },
  });
  expect(res.statusCode).toBe(201);
  const checks = Object.fromEntries((res.json().checks as { name: string; outcome: string; detail: string }[]).map((c) => [c.name, `${c.outcome}: ${c.detail}`]));
  expect(checks).toEqual({
    query_time: 'passed: within thresholds',
    connection_use: 'passed: within thresholds',
    connection_latency: 'passed: within thresholds',
    cache_hit_ratio: 'passed: within thresholds',
    deadlocks: 'skipped: no deadlock count in the snapshot',
    wraparound: 'skipped: no transaction ID age in the snapshot',
    dead_tuple_bloat: 'skipped: no dead-tuple ratio in the snapshot',
  });
});
