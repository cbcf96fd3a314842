// Collection against a real PostgreSQL 15 with pg_stat_statements and hypopg: deltas, slow
// queries with generic plans, index advice, health events, capacity and optimization history.
import { afterAll, beforeAll, describe, expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { HealthScored, MetricsCollected, SlowQueryDetected } from '@vigil/events';
import { eventually } from '@vigil/service-kit/testing';
import { buildPerf, perfTest } from './fixtures/app.js';
import { startScratchPostgres, type ScratchPostgres } from './fixtures/scratch-postgres.js';
import { pruneRawSamples } from '../src/db/series.js';
import { createShop, runWorkload } from './fixtures/workload.js';

let target: ScratchPostgres;
let dbId: string;
const health: { databaseId: string; score: number }[] = [];
const metrics: { databaseId: string; samples: { name: string }[] }[] = [];
const slowEvents: { databaseId: string; query: string; meanMs: number }[] = [];

const it = perfTest({
  env: { PERF_COLLECTOR_ENABLED: 'false', PERF_SECRET_KEY: 'ab'.repeat(32) },
  // Observers of what the cycles publish, subscribed before the app is ready.
  build: async (env) => {
    const app = await buildPerf(env);
    app.infra.bus.subscribe(HealthScored, async (e) => void health.push(e.data), { group: 'perf-test-observer' });
    app.infra.bus.subscribe(MetricsCollected, async (e) => void metrics.push(e.data), { group: 'perf-test-observer' });
    app.infra.bus.subscribe(SlowQueryDetected, async (e) => void slowEvents.push(e.data), { group: 'perf-test-observer' });
    return app;
  },
});

beforeAll(async () => {
  target = await startScratchPostgres(25433);
  await createShop(target, 'shop');
});

afterAll(async () => {
  await target?.stop();
});

const collect = async (app: FastifyInstance, headers: Record<string, string>, advise = false) => {
  const res = await app.inject({ method: 'POST', url: `/v1/databases/${dbId}/collections`, headers, payload: { advise } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

describe('targets', () => {
  it('registers a database with the connection string encrypted at rest and masked in the API', async ({ app, headers }) => {
    const conn = `postgres://postgres:s3cret-pass@127.0.0.1:${target.port}/shop`;
    const res = await app.inject({ method: 'POST', url: '/v1/databases', headers, payload: { name: 'shop', connectionString: conn, intervalSeconds: 30 } });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    dbId = body.id;
    expect(body).toMatchObject({ name: 'shop', intervalSeconds: 30, status: 'pending' });
    expect(body.connection).toBe(`postgres://postgres:***@127.0.0.1:${target.port}/shop`);
    const stored = await app.infra.pool.query('SELECT conn_sealed FROM perf.targets WHERE id = $1', [dbId]);
    expect(stored.rows[0].conn_sealed).toMatch(/^vs1:/);
    expect(stored.rows[0].conn_sealed).not.toContain('s3cret-pass');
    expect(stored.rows[0].conn_sealed).not.toContain('127.0.0.1');

    const dup = await app.inject({ method: 'POST', url: '/v1/databases', headers, payload: { name: 'shop', connectionString: conn } });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('PERF_TARGET_NAME_TAKEN');
  });

  it('rejects bad connection strings and hides targets from other tenants', async ({ app, kit, headers }) => {
    const bad = await app.inject({ method: 'POST', url: '/v1/databases', headers, payload: { name: 'x', connectionString: 'mysql://a@b/c' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.json()).toMatchObject({ code: 'PERF_CONNECTION_STRING_INVALID', detail: 'connectionString scheme mysql: is not postgres: or postgresql:' });
    const other = { authorization: `Bearer ${await kit.apiKey('globex', 'read')}` };
    expect((await app.inject({ url: '/v1/databases', headers: other })).json().items).toEqual([]);
    expect((await app.inject({ url: `/v1/databases/${dbId}/recommendations`, headers: other })).statusCode).toBe(404);
  });

  it('answers 404 for an unknown or another tenant\'s database, on reads and on writes', async ({ app, kit, headers }) => {
    const otherWriter = { authorization: `Bearer ${await kit.apiKey('globex', 'write')}` };
    const snapshot = { databaseName: 'x', maxMeanQueryMs: 5, connectionsUsed: 1, maxConnections: 100, cacheHitRatio: 0.99, connectionLatencyMs: 1 };
    for (const [id, h] of [['no-such-database', headers], [dbId, otherWriter]] as const) {
      for (const path of ['', '/health', '/health/current', '/slow-queries', '/statements', '/recommendations', '/optimizations', '/capacity', '/metrics/connections_total']) {
        const res = await app.inject({ url: `/v1/databases/${id}${path}`, headers: h });
        expect(res.statusCode, `GET ${path} of ${id}`).toBe(404);
        expect(res.json().code).toBe('PERF_TARGET_NOT_FOUND');
      }
      const writes: [string, string, object | undefined][] = [
        ['POST', '/health-snapshots', snapshot],
        ['POST', '/optimizations', { kind: 'other', description: 'x' }],
        ['POST', '/collections', {}],
        ['PATCH', '', { intervalSeconds: 60 }],
        ['DELETE', '', undefined],
      ];
      for (const [method, path, payload] of writes) {
        const res = await app.inject({ method: method as 'POST', url: `/v1/databases/${id}${path}`, headers: h, ...(payload ? { payload } : {}) });
        expect(res.statusCode, `${method} ${path} of ${id}`).toBe(404);
      }
    }
  });
});

describe('collection on a real workload', () => {
  it('finds the slow query with its generic plan, the missing, unused, duplicate and invalid indexes, and spares the good ones', async ({ app, headers }) => {
    await runWorkload(target, 'shop', { customerQueries: 20, slow: true });
    const outcome = await collect(app, headers, true);
    expect(outcome).toMatchObject({ status: 'ok', detail: '' });
    expect(outcome.health.score).toBeGreaterThan(0);

    const slow = (await app.inject({ url: `/v1/databases/${dbId}/slow-queries?order=mean`, headers })).json().items as { query: string; severity: string; plan: { Plan: Record<string, unknown> } | null; meanMs: number }[];
    const sleeper = slow.find((q) => q.query.includes('pg_sleep'));
    expect(sleeper).toBeDefined();
    expect(sleeper!.severity).toBe('warning');
    expect(sleeper!.meanMs).toBeGreaterThanOrEqual(1000);
    expect(sleeper!.plan?.Plan['Node Type']).toBe('Result');
    expect(slow.some((q) => q.query.includes('customer_id'))).toBe(false);

    const recs = (await app.inject({ url: `/v1/databases/${dbId}/recommendations`, headers })).json().items as {
      kind: string;
      index?: string;
      statement: string;
      savingPct?: number;
      queries: { query: string }[];
    }[];
    const missing = recs.filter((r) => r.kind === 'missing_index');
    expect(missing).toHaveLength(1);
    expect(missing[0]!.statement).toBe('CREATE INDEX CONCURRENTLY ON public.orders (customer_id);');
    expect(missing[0]!.savingPct).toBeGreaterThanOrEqual(50);
    expect(missing[0]!.queries[0]!.query).toContain('WHERE customer_id = $1');
    const flagged = (kind: string) => recs.filter((r) => r.kind === kind).map((r) => r.index);
    expect(flagged('unused_index')).toContain('orders_note_idx');
    expect(flagged('duplicate_index')).toEqual(['items_sku_idx']);
    expect(flagged('invalid_index')).toEqual(['items_qty_uniq']);
    const all = recs.map((r) => r.index);
    expect(all).not.toContain('orders_created_at_idx');
    expect(all).not.toContain('orders_pkey');
    expect(recs.find((r) => r.kind === 'unused_index')!.statement).toMatch(/^DROP INDEX CONCURRENTLY public\.\w+;$/);
  });

  it('stores per-interval deltas of pg_stat_statements, not cumulative counters', async ({ app, headers }) => {
    await runWorkload(target, 'shop', { customerQueries: 5, slow: false });
    const second = await collect(app, headers);
    expect(second.status).toBe('ok');
    const stats = (await app.inject({ url: `/v1/databases/${dbId}/statements?order=total&hours=1&limit=100`, headers })).json().items as { query: string | null; calls: number }[];
    const customer = stats.find((s) => s.query?.includes('customer_id'));
    expect(customer?.calls).toBe(25);
    const rows = await app.infra.pool.query(
      `SELECT calls FROM perf.query_stats q JOIN perf.statement_texts t USING (tenant_id, target_id, query_id)
       WHERE q.target_id = $1 AND t.query LIKE '%customer_id%' ORDER BY at`,
      [dbId],
    );
    expect(rows.rows.map((r) => Number(r.calls))).toEqual([20, 5]);
  });

  it('publishes MetricsCollected and HealthScored, and keeps health history, series and rollups', async ({ app, headers }) => {
    await eventually(async () => health.filter((h) => h.databaseId === dbId).length >= 2 && metrics.filter((m) => m.databaseId === dbId).length >= 2, 60_000);
    const mine = metrics.filter((m) => m.databaseId === dbId).map((m) => m.samples.map((s) => s.name));
    expect(mine[0]).toEqual(expect.arrayContaining(['connection_latency_ms', 'cache_hit_ratio', 'connections_total', 'database_size_bytes', 'xid_age', 'deadlocks']));
    // Sizes and pg_statio come on the slow cadence: in the first cycle, not in the next one.
    expect(mine[0]).toContain('table_heap_hit_ratio');
    expect(mine[1]).not.toContain('table_heap_hit_ratio');
    expect(mine[1]).toContain('qps');
    // The sleeper became slow in the first cycle only: one SlowQueryDetected, none for the cycle after.
    await eventually(async () => slowEvents.some((e) => e.databaseId === dbId), 30_000);
    const slowOnes = slowEvents.filter((e) => e.databaseId === dbId);
    expect(slowOnes).toHaveLength(1);
    expect(slowOnes[0]!.query).toContain('pg_sleep');
    expect(slowOnes[0]!.meanMs).toBeGreaterThanOrEqual(1000);
    const history = (await app.inject({ url: `/v1/databases/${dbId}/health`, headers })).json().items as unknown[];
    expect(history).toHaveLength(2);
    const current = (await app.inject({ url: `/v1/databases/${dbId}/health/current`, headers })).json();
    expect(current.score).toBe(health.filter((h) => h.databaseId === dbId).at(-1)!.score);
    const series = (await app.inject({ url: `/v1/databases/${dbId}/metrics/connections_total?hours=1`, headers })).json();
    expect(series.resolution).toBe('raw');
    expect(series.points).toHaveLength(2);
    const longRange = (await app.inject({ url: `/v1/databases/${dbId}/metrics/connections_total?hours=168`, headers })).json();
    expect(longRange.resolution).toBe('hourly');
    expect(longRange.points.length).toBeGreaterThanOrEqual(1);
    expect(longRange.points.length).toBeLessThanOrEqual(2);
  });

  it('prunes raw samples past retention and keeps the hourly rollups', async ({ app }) => {
    const pool = app.infra.pool;
    await pool.query(`INSERT INTO perf.metric_samples (tenant_id, target_id, name, value, at) VALUES ('acme', $1, 'connections_total', 1, now() - interval '9 days')`, [dbId]);
    const rollupsBefore = (await pool.query('SELECT count(*)::int AS n FROM perf.metric_rollups_hourly WHERE target_id = $1', [dbId])).rows[0].n;
    expect(await pruneRawSamples(pool, 7)).toBe(1);
    expect((await pool.query('SELECT count(*)::int AS n FROM perf.metric_samples WHERE target_id = $1 AND at < now() - interval \'7 days\'', [dbId])).rows[0].n).toBe(0);
    expect((await pool.query('SELECT count(*)::int AS n FROM perf.metric_rollups_hourly WHERE target_id = $1', [dbId])).rows[0].n).toBe(rollupsBefore);
  });

  it('reports capacity with a disk forecast once a disk limit is known', async ({ app, headers }) => {
    const size = Number((await target.sql('shop', 'SELECT pg_database_size(current_database()) AS b'))[0]!.b);
    await app.inject({ method: 'PATCH', url: `/v1/databases/${dbId}`, headers, payload: { diskLimitBytes: size * 10 } });
    // Growth between cycles, so the trend is positive.
    await target.sql('shop', `INSERT INTO orders (customer_id, status, note, created_at) SELECT 1, 'new', repeat('x', 500), now() FROM generate_series(1, 20000)`);
    await collect(app, headers);
    const report = (await app.inject({ url: `/v1/databases/${dbId}/capacity`, headers })).json();
    expect(report.database.diskLimitBytes).toBe(size * 10);
    expect(report.database.growthBytesPerDay).toBeGreaterThan(0);
    // Growth over seconds extrapolates to a steep slope: the forecast is short but positive.
    expect(report.database.daysUntilDiskFull).toBeGreaterThan(0);
    expect(report.database.daysUntilDiskFull).toBeLessThan(30);
    expect(report.connections.max).toBe(40);
    expect(report.tables[0].table).toBe('public.orders');
  });

  it('records an optimization and shows the affected query before and after', async ({ app, headers }) => {
    const qid = (await target.sql('shop', `SELECT queryid::text AS q FROM pg_stat_statements WHERE query LIKE '%WHERE customer_id = $1%'`))[0]!.q as string;
    const appliedAt = new Date().toISOString();
    await target.sql('shop', 'CREATE INDEX orders_customer_id_idx ON orders (customer_id)');
    const rec = await app.inject({ method: 'POST', url: `/v1/databases/${dbId}/optimizations`, headers, payload: { kind: 'index_created', description: 'orders (customer_id)', queryIds: [qid], appliedAt } });
    expect(rec.statusCode, rec.body).toBe(201);
    await runWorkload(target, 'shop', { customerQueries: 20, slow: false });
    await collect(app, headers);
    const [opt] = (await app.inject({ url: `/v1/databases/${dbId}/optimizations`, headers })).json().items;
    expect(opt.kind).toBe('index_created');
    expect(opt.queries[0].queryId).toBe(qid);
    expect(opt.queries[0].meanMsBefore).toBeGreaterThan(opt.queries[0].meanMsAfter);
    expect(opt.score.before).not.toBeNull();
    expect(opt.score.after).not.toBeNull();

    const future = await app.inject({ method: 'POST', url: `/v1/databases/${dbId}/optimizations`, headers, payload: { kind: 'other', description: 'x', appliedAt: '2999-01-01T00:00:00Z' } });
    expect(future.statusCode).toBe(400);
    expect(future.json().code).toBe('PERF_OPTIMIZATION_INVALID');
  });

  it('collects as a least-privilege pg_monitor role', async ({ app, headers }) => {
    await target.sql('shop', `CREATE ROLE vigil_monitor LOGIN PASSWORD 'mon'; GRANT pg_monitor TO vigil_monitor`);
    const res = await app.inject({
      method: 'POST',
      url: '/v1/databases',
      headers,
      payload: { name: 'shop-monitor', connectionString: `postgres://vigil_monitor:mon@127.0.0.1:${target.port}/shop` },
    });
    const id = res.json().id;
    const outcome = (await app.inject({ method: 'POST', url: `/v1/databases/${id}/collections`, headers, payload: { advise: true } })).json();
    expect(outcome.status, outcome.detail).toBe('ok');
    // The monitoring session is closed after the cycle (the server notices the disconnect shortly after).
    await eventually(async () => {
      const rows = await target.sql('shop', `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'vigil-perf-collector'`);
      return rows[0]!.n === 0;
    });

    const del = await app.inject({ method: 'DELETE', url: `/v1/databases/${id}`, headers });
    expect(del.statusCode).toBe(204);
    expect((await app.inject({ url: `/v1/databases/${id}`, headers })).statusCode).toBe(404);
    const left = await app.infra.pool.query('SELECT count(*)::int AS n FROM perf.metric_samples WHERE target_id = $1', [id]);
    expect(left.rows[0].n).toBe(0);
    expect((await app.inject({ method: 'DELETE', url: `/v1/databases/${id}`, headers })).statusCode).toBe(404);
  });
});
