// Read side for one monitored database: slow queries, statements, advice, series, capacity and
// optimization history; every call first checks the database belongs to the tenant.
import { pageInMemory, type PageRequest } from '@vigil/service-kit';
import type { Pool } from 'pg';
import { insertOptimization, optimizationHistory, tableGrowth, trendSeries } from '../db/history.js';
import { listRecommendations, listSlowQueries, metricSeries, topStatements } from '../db/series.js';
import { optimizationInvalid } from '../errors.js';
import { capacityReport } from '../domain/capacity.js';
import { requireTarget } from './targets.js';

const scopeOf = async (pool: Pool, tenantId: string, id: string) => {
  const t = await requireTarget(pool, tenantId, id);
  return { scope: { tenantId, targetId: t.id }, target: t };
};

// Ranked lists (one row per query id, bounded by what the collector keeps) page in memory by
// (the ranking value descending, query id).
const byRank = (order: 'mean' | 'total') => (q: { totalMs: number; meanMs: number; queryId: string }) => [order === 'mean' ? q.meanMs : q.totalMs, q.queryId];

export async function slowQueries(pool: Pool, tenantId: string, id: string, order: 'mean' | 'total', page: PageRequest) {
  const { scope } = await scopeOf(pool, tenantId, id);
  return pageInMemory(await listSlowQueries(pool, scope, order), page, byRank(order), ['desc', 'asc']);
}

export async function statements(pool: Pool, tenantId: string, id: string, order: 'mean' | 'total', page: PageRequest, hours: number) {
  const { scope } = await scopeOf(pool, tenantId, id);
  return pageInMemory(await topStatements(pool, scope, order, hours), page, byRank(order), ['desc', 'asc']);
}

/** By kind, then the largest saving first, then statement. */
export async function recommendations(pool: Pool, tenantId: string, id: string, page: PageRequest) {
  const { scope } = await scopeOf(pool, tenantId, id);
  return pageInMemory(await listRecommendations(pool, scope), page, (r) => [r.kind, r.savingPct ?? -1, r.statement], ['asc', 'desc', 'asc']);
}

export async function series(pool: Pool, tenantId: string, id: string, name: string, hours: number) {
  const { scope } = await scopeOf(pool, tenantId, id);
  return { metric: name, ...(await metricSeries(pool, scope, name, hours)) };
}

export async function capacity(pool: Pool, tenantId: string, id: string, days: number) {
  const { scope, target } = await scopeOf(pool, tenantId, id);
  const [size, connections, qps, maxConns, tables] = await Promise.all([
    trendSeries(pool, scope, 'database_size_bytes', days),
    trendSeries(pool, scope, 'connections_total', days),
    trendSeries(pool, scope, 'qps', days),
    trendSeries(pool, scope, 'max_connections', days),
    tableGrowth(pool, scope, days),
  ]);
  return {
    databaseId: target.id,
    name: target.name,
    days,
    ...capacityReport({ size, connections, qps, tables, maxConnections: maxConns.at(-1)?.value ?? null, diskLimitBytes: target.diskLimitBytes }),
  };
}

export async function recordOptimization(
  pool: Pool,
  tenantId: string,
  id: string,
  body: { kind: string; description: string; appliedAt?: string; queryIds?: string[] },
) {
  const { scope } = await scopeOf(pool, tenantId, id);
  const appliedAt = body.appliedAt ?? new Date().toISOString();
  if (Number.isNaN(Date.parse(appliedAt))) throw optimizationInvalid(`appliedAt ${appliedAt} is not a date-time`);
  if (Date.parse(appliedAt) > Date.now() + 60_000) throw optimizationInvalid('appliedAt lies in the future');
  const optimizationId = await insertOptimization(pool, scope, { kind: body.kind, description: body.description, queryIds: body.queryIds ?? [], appliedAt });
  return { id: optimizationId, appliedAt: new Date(appliedAt).toISOString() };
}

export async function optimizations(pool: Pool, tenantId: string, id: string, windowHours: number, page: PageRequest) {
  const { scope } = await scopeOf(pool, tenantId, id);
  return pageInMemory(await optimizationHistory(pool, scope, windowHours), page, (o) => [o.appliedAt, Number(o.id)], ['desc', 'desc']);
}
