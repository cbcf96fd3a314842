// Read side for one monitored database: slow queries, statements, advice, series, capacity and
// optimization history; every call first checks the database belongs to the tenant.
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

export async function slowQueries(pool: Pool, tenantId: string, id: string, order: 'mean' | 'total', limit: number) {
  const { scope } = await scopeOf(pool, tenantId, id);
  return listSlowQueries(pool, scope, order, limit);
}

export async function statements(pool: Pool, tenantId: string, id: string, order: 'mean' | 'total', limit: number, hours: number) {
  const { scope } = await scopeOf(pool, tenantId, id);
  return topStatements(pool, scope, order, limit, hours);
}

export async function recommendations(pool: Pool, tenantId: string, id: string) {
  const { scope } = await scopeOf(pool, tenantId, id);
  return listRecommendations(pool, scope);
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

export async function optimizations(pool: Pool, tenantId: string, id: string, windowHours: number) {
  const { scope } = await scopeOf(pool, tenantId, id);
  return optimizationHistory(pool, scope, windowHours);
}
