// Issue 16 backend: the statement workbench (ranked statements with series, history, a plan made
// now) and index advice marked applied — refused until the change is on the database, then
// re-measured and shown in the optimization history before and after. Real PostgreSQL 15 with
// pg_stat_statements and hypopg.
import { afterAll, beforeAll, describe, expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { perfTest } from './fixtures/app.js';
import { startScratchPostgres, type ScratchPostgres } from './fixtures/scratch-postgres.js';
import { createShop, runWorkload } from './fixtures/workload.js';

let target: ScratchPostgres;
let dbId: string;

const it = perfTest({ env: { PERF_COLLECTOR_ENABLED: 'false', PERF_SECRET_KEY: 'cd'.repeat(32) } });

beforeAll(async () => {
  // shared_buffers smaller than the orders table: its sequential scans read blocks instead of hitting them.
  target = await startScratchPostgres(25436, { settings: { shared_buffers: '8MB' } });
  await createShop(target, 'shop');
}, 120_000);

afterAll(async () => {
  await target?.stop();
});

const get = async (app: FastifyInstance, headers: Record<string, string>, url: string, status = 200) => {
  const res = await app.inject({ url, headers });
  expect(res.statusCode, res.body).toBe(status);
  return res.json();
};
const post = async (app: FastifyInstance, headers: Record<string, string>, url: string, payload?: unknown) => app.inject({ method: 'POST', url, headers, payload: payload as object });
const collect = async (app: FastifyInstance, headers: Record<string, string>, advise = false) => {
  const res = await post(app, headers, `/v1/databases/${dbId}/collections`, { advise });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

interface Rec {
  id: string;
  kind: string;
  index?: string;
  statement: string;
  queries: { queryId: string; query: string; costBefore?: number; costAfter?: number }[];
  writeOverhead?: { indexBytes: number; tableWrites: number; tableRows: number };
}

describe('statement workbench', () => {
  it('ranks statements with their series in the list envelope, pages by keyset, and gives history and a plan made now', async ({ app, headers, kit }) => {
    const res = await post(app, headers, '/v1/databases', { name: 'shop', connectionString: `postgres://postgres@127.0.0.1:${target.port}/shop` });
    expect(res.statusCode, res.body).toBe(201);
    dbId = res.json().id;
    await runWorkload(target, 'shop', { customerQueries: 20, slow: false });
    await collect(app, headers);
    await runWorkload(target, 'shop', { customerQueries: 10, slow: false });
    await collect(app, headers, true);

    const page = await get(app, headers, `/v1/databases/${dbId}/queries?order=total&hours=1&limit=50`);
    expect(page.nextCursor).toBeNull();
    const customer = page.items.find((s: { query: string | null }) => s.query?.includes('WHERE customer_id = $1'));
    expect(customer).toMatchObject({ calls: 30 });
    expect(customer.series.map((p: { calls: number }) => p.calls)).toEqual([20, 10]);
    expect(customer.rows).toBe(30 * 40); // 200,000 orders over 5,000 customers
    expect(customer.totalMs).toBeGreaterThan(0);
    const totals = page.items.map((s: { totalMs: number }) => s.totalMs);
    expect(totals).toEqual([...totals].sort((a: number, b: number) => b - a));

    // Keyset pages: limit 1 twice gives the first two rows of the full ranking, with no overlap.
    const first = await get(app, headers, `/v1/databases/${dbId}/queries?order=total&hours=1&limit=1`);
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await get(app, headers, `/v1/databases/${dbId}/queries?order=total&hours=1&limit=1&cursor=${first.nextCursor}`);
    expect([first.items[0].queryId, second.items[0].queryId]).toEqual(page.items.slice(0, 2).map((s: { queryId: string }) => s.queryId));
    expect((await app.inject({ url: `/v1/databases/${dbId}/queries?cursor=bm9wZQ`, headers })).json().code).toBe('CURSOR_INVALID');

    expect((await get(app, headers, `/v1/databases/${dbId}/queries/${customer.queryId}`)).query).toContain('customer_id');
    const history = await get(app, headers, `/v1/databases/${dbId}/queries/${customer.queryId}/history?hours=1`);
    expect(history.items.map((p: { calls: number }) => p.calls)).toEqual([20, 10]);
    expect(history.nextCursor).toBeNull();

    const planned = await post(app, headers, `/v1/databases/${dbId}/queries/${customer.queryId}/plans`);
    expect(planned.statusCode, planned.body).toBe(200);
    expect(planned.json()).toMatchObject({ generic: true, analyzed: false, serverVersion: expect.any(Number) });
    expect(JSON.stringify(planned.json().plan)).toContain('Seq Scan');
    // EXPLAIN without ANALYZE: planning the statement did not run it.
    const calls = await target.sql('shop', `SELECT toplevel, calls::int FROM pg_stat_statements WHERE queryid::text = $1`, [customer.queryId]);
    expect(calls.filter((c) => c.toplevel).reduce((n, c) => n + c.calls, 0)).toBe(30);

    // Unknown statement, unknown target, other tenant's target: 404 with the service's code.
    expect((await app.inject({ url: `/v1/databases/${dbId}/queries/123/history`, headers })).json().code).toBe('PERF_STATEMENT_NOT_FOUND');
    expect((await app.inject({ url: '/v1/databases/nope/queries', headers })).statusCode).toBe(404);
    const other = { authorization: `Bearer ${await kit.apiKey('globex', 'write')}` };
    for (const [method, url] of [
      ['GET', `/v1/databases/${dbId}/queries`],
      ['GET', `/v1/databases/${dbId}/queries/${customer.queryId}`],
      ['GET', `/v1/databases/${dbId}/queries/${customer.queryId}/history`],
      ['POST', `/v1/databases/${dbId}/queries/${customer.queryId}/plans`],
      ['POST', `/v1/databases/${dbId}/recommendations/1/applications`],
    ] as const) {
      const r = await app.inject({ method, url, headers: other });
      expect(r.statusCode, url).toBe(404);
      expect(r.json().code).toBe('PERF_TARGET_NOT_FOUND');
    }
  });

  it('scores with every check carrying its value, thresholds and why', async ({ app, headers }) => {
    const current = await get(app, headers, `/v1/databases/${dbId}/health/current`);
    const names = current.checks.map((c: { name: string }) => c.name);
    expect(names).toEqual(['query_time', 'connection_use', 'cache_hit_ratio', 'connection_latency', 'deadlocks', 'wraparound', 'dead_tuple_bloat']);
    expect(current.checks.find((c: { name: string }) => c.name === 'query_time')).toMatchObject({ title: 'Mean query time', warn: 1000, crit: 5000, unit: 'ms' });
    expect(current.checks.find((c: { name: string }) => c.name === 'connection_use')).toMatchObject({ warn: 80, crit: 95, value: expect.any(Number) });
    // Sequential scans of a table larger than a quarter of shared_buffers go through a ring buffer: reads, not hits.
    const cache = current.checks.find((c: { name: string }) => c.name === 'cache_hit_ratio');
    expect(cache).toMatchObject({ warn: 90, direction: 'below', outcome: 'failed', level: 'warning' });
    expect(cache.value).toBeLessThan(90);
    console.log(`[advice] cache hit ${cache.value} %, score ${current.score}`);
    const [stored] = (await get(app, headers, `/v1/databases/${dbId}/health`)).items;
    expect(stored.checks).toEqual(current.checks);
  });
});

describe('index advice marked applied', () => {
  it('is refused until the index exists, then re-measured and recorded with before and after', async ({ app, headers }) => {
    const recs = (await get(app, headers, `/v1/databases/${dbId}/recommendations`)).items as Rec[];
    const missing = recs.find((r) => r.kind === 'missing_index')!;
    expect(missing.statement).toBe('CREATE INDEX CONCURRENTLY ON public.orders (customer_id);');
    expect(missing.writeOverhead!.indexBytes).toBeGreaterThan(100_000);
    expect(missing.writeOverhead!.tableWrites).toBeGreaterThanOrEqual(200_000);
    expect(missing.writeOverhead!.tableRows).toBeGreaterThanOrEqual(190_000);

    const early = await post(app, headers, `/v1/databases/${dbId}/recommendations/${missing.id}/applications`);
    expect(early.statusCode, early.body).toBe(409);
    expect(early.json()).toMatchObject({ code: 'PERF_RECOMMENDATION_NOT_APPLIED' });
    expect(early.json().detail).toContain('CREATE INDEX CONCURRENTLY ON public.orders (customer_id);');
    expect((await post(app, headers, `/v1/databases/${dbId}/recommendations/999999/applications`)).json().code).toBe('PERF_RECOMMENDATION_NOT_FOUND');

    await target.sql('shop', missing.statement);
    const applied = await post(app, headers, `/v1/databases/${dbId}/recommendations/${missing.id}/applications`);
    expect(applied.statusCode, applied.body).toBe(201);
    const a = applied.json();
    expect(a.kind).toBe('index_created');
    expect(a.queries[0].costBefore).toBe(missing.queries[0]!.costBefore);
    expect(a.queries[0].costAfter).toBeLessThan(a.queries[0].costBefore / 2);
    expect(a.queries[0].meanMsBefore).toBeGreaterThan(0);
    const left = (await get(app, headers, `/v1/databases/${dbId}/recommendations`)).items as Rec[];
    expect(left.some((r) => r.id === missing.id)).toBe(false);

    // The next intervals measure the mean time after.
    await runWorkload(target, 'shop', { customerQueries: 20, slow: false });
    await collect(app, headers);
    const [opt] = (await get(app, headers, `/v1/databases/${dbId}/optimizations`)).items;
    expect(opt).toMatchObject({ id: a.id, kind: 'index_created', source: 'advice', description: missing.statement });
    const q = opt.queries[0];
    expect(q.queryId).toBe(missing.queries[0]!.queryId);
    expect(q.costAfter).toBe(a.queries[0].costAfter);
    expect(q.meanMsAfter).not.toBeNull();
    expect(q.meanMsBefore).toBeGreaterThan(q.meanMsAfter);
    console.log(`[advice] cost ${q.costBefore} → ${q.costAfter}; mean ${q.meanMsBefore} ms → ${q.meanMsAfter} ms`);
  });

  it('a drop suggestion is recorded once the index is gone', async ({ app, headers }) => {
    const recs = (await get(app, headers, `/v1/databases/${dbId}/recommendations`)).items as Rec[];
    const dup = recs.find((r) => r.kind === 'duplicate_index')!;
    expect(dup.statement).toBe('DROP INDEX CONCURRENTLY public.items_sku_idx;');
    const early = await post(app, headers, `/v1/databases/${dbId}/recommendations/${dup.id}/applications`);
    expect(early.statusCode).toBe(409);
    expect(early.json().detail).toContain('is still there (valid)');
    await target.sql('shop', dup.statement);
    const applied = await post(app, headers, `/v1/databases/${dbId}/recommendations/${dup.id}/applications`);
    expect(applied.statusCode, applied.body).toBe(201);
    expect(applied.json().kind).toBe('index_dropped');
    const history = (await get(app, headers, `/v1/databases/${dbId}/optimizations`)).items;
    expect(history.map((o: { kind: string }) => o.kind)).toEqual(['index_dropped', 'index_created']);
  });
});
