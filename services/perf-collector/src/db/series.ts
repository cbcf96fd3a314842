// SQL for the collected time series: raw samples with hourly rollups, table sizes, statement
// deltas, slow queries with plans and index recommendations.
import type { Pool, PoolClient } from 'pg';
import type { Sample, StatementDelta } from '../domain/cycle-metrics.js';
import type { Recommendation } from '../domain/index-advice.js';
import type { SlowQuery } from '../domain/slow-queries.js';

export interface Scope {
  tenantId: string;
  targetId: string;
}

export async function insertSamples(tx: PoolClient, s: Scope, at: string, samples: Sample[]): Promise<void> {
  if (!samples.length) return;
  const names = samples.map((x) => x.name);
  const values = samples.map((x) => x.value);
  await tx.query(
    `INSERT INTO perf.metric_samples (tenant_id, target_id, name, value, at) SELECT $1, $2, n, v, $3 FROM unnest($4::text[], $5::float8[]) AS u(n, v)`,
    [s.tenantId, s.targetId, at, names, values],
  );
  await tx.query(
    `INSERT INTO perf.metric_rollups_hourly (tenant_id, target_id, name, bucket, n, sum, min, max, last)
     SELECT $1, $2, n, date_trunc('hour', $3::timestamptz), 1, v, v, v, v FROM unnest($4::text[], $5::float8[]) AS u(n, v)
     ON CONFLICT (tenant_id, target_id, name, bucket) DO UPDATE SET n = metric_rollups_hourly.n + 1, sum = metric_rollups_hourly.sum + EXCLUDED.sum,
       min = least(metric_rollups_hourly.min, EXCLUDED.min), max = greatest(metric_rollups_hourly.max, EXCLUDED.max), last = EXCLUDED.last`,
    [s.tenantId, s.targetId, at, names, values],
  );
}

export async function insertTableSizes(tx: PoolClient, s: Scope, at: string, tables: { name: string; bytes: number; live: number }[]): Promise<void> {
  if (!tables.length) return;
  await tx.query(
    `INSERT INTO perf.table_sizes (tenant_id, target_id, relname, bytes, live_rows, at)
     SELECT $1, $2, n, b, l, $3 FROM unnest($4::text[], $5::bigint[], $6::bigint[]) AS u(n, b, l)`,
    [s.tenantId, s.targetId, at, tables.map((t) => t.name), tables.map((t) => t.bytes), tables.map((t) => t.live)],
  );
}

export async function insertQueryStats(tx: PoolClient, s: Scope, at: string, deltas: StatementDelta[]): Promise<void> {
  if (!deltas.length) return;
  const col = <K extends keyof StatementDelta>(k: K) => deltas.map((d) => d[k]);
  await tx.query(
    `INSERT INTO perf.query_stats (tenant_id, target_id, query_id, at, calls, total_ms, mean_ms, rows, blks_hit, blks_read)
     SELECT $1, $2, q, $3, c, t, m, r, h, b FROM unnest($4::text[], $5::bigint[], $6::float8[], $7::float8[], $8::bigint[], $9::bigint[], $10::bigint[]) AS u(q, c, t, m, r, h, b)`,
    [s.tenantId, s.targetId, at, col('queryId'), col('calls'), col('totalMs'), col('meanMs'), col('rows'), col('blksHit'), col('blksRead')],
  );
  await tx.query(
    `INSERT INTO perf.statement_texts (tenant_id, target_id, query_id, query) SELECT $1, $2, q, t FROM unnest($3::text[], $4::text[]) AS u(q, t)
     ON CONFLICT DO NOTHING`,
    [s.tenantId, s.targetId, col('queryId'), col('query')],
  );
}

/** Stores the interval's slow statements; returns those that were not slow before on this target (new slow queries). */
export async function upsertSlowQueries(tx: PoolClient, s: Scope, at: string, slow: SlowQuery[]): Promise<SlowQuery[]> {
  const fresh: SlowQuery[] = [];
  for (const q of slow) {
    const { rows } = await tx.query(
      `INSERT INTO perf.slow_queries (tenant_id, target_id, query_id, query, calls, total_ms, mean_ms, severity, plan, plan_error, detected_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (tenant_id, target_id, query_id) DO UPDATE SET query = EXCLUDED.query, calls = EXCLUDED.calls, total_ms = EXCLUDED.total_ms,
         mean_ms = EXCLUDED.mean_ms, severity = EXCLUDED.severity, detected_at = EXCLUDED.detected_at,
         plan = coalesce(EXCLUDED.plan, slow_queries.plan), plan_error = CASE WHEN EXCLUDED.plan IS NULL THEN EXCLUDED.plan_error ELSE NULL END
       RETURNING (xmax = 0) AS inserted`,
      [s.tenantId, s.targetId, q.queryId, q.query, q.calls, q.totalMs, q.meanMs, q.severity, q.plan ? JSON.stringify(q.plan) : null, q.planError ?? null, at],
    );
    if (rows[0]?.inserted) fresh.push(q);
  }
  return fresh;
}

export async function replaceRecommendations(tx: PoolClient, s: Scope, recs: Recommendation[]): Promise<void> {
  await tx.query(`DELETE FROM perf.recommendations WHERE tenant_id = $1 AND target_id = $2`, [s.tenantId, s.targetId]);
  for (const r of recs) {
    await tx.query(
      `INSERT INTO perf.recommendations (tenant_id, target_id, kind, table_name, index_name, statement, detail, saving_pct, queries)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [s.tenantId, s.targetId, r.kind, r.table, r.index ?? null, r.statement, r.detail, r.savingPct ?? null, JSON.stringify(r.queries)],
    );
  }
}

export async function listRecommendations(pool: Pool, s: Scope) {
  const { rows } = await pool.query(
    `SELECT kind, table_name, index_name, statement, detail, saving_pct, queries, created_at FROM perf.recommendations
     WHERE tenant_id = $1 AND target_id = $2 ORDER BY kind, saving_pct DESC NULLS LAST, id`,
    [s.tenantId, s.targetId],
  );
  return rows.map((r) => ({
    kind: r.kind as string,
    table: r.table_name as string,
    ...(r.index_name ? { index: r.index_name as string } : {}),
    statement: r.statement as string,
    detail: r.detail as string,
    ...(r.saving_pct !== null ? { savingPct: Number(r.saving_pct) } : {}),
    queries: r.queries as { queryId: string; query: string; costBefore?: number; costAfter?: number }[],
    createdAt: (r.created_at as Date).toISOString(),
  }));
}

/** Every slow query of a target (one row per query id), the worst first. */
export async function listSlowQueries(pool: Pool, s: Scope, order: 'mean' | 'total') {
  const { rows } = await pool.query(
    `SELECT query_id, query, calls, total_ms, mean_ms, severity, plan, plan_error, detected_at FROM perf.slow_queries
     WHERE tenant_id = $1 AND target_id = $2 ORDER BY ${order === 'mean' ? 'mean_ms' : 'total_ms'} DESC, query_id`,
    [s.tenantId, s.targetId],
  );
  return rows.map((r) => ({
    queryId: r.query_id as string,
    query: r.query as string,
    calls: Number(r.calls),
    totalMs: Number(r.total_ms),
    meanMs: Number(r.mean_ms),
    severity: r.severity as string,
    plan: (r.plan ?? null) as Record<string, unknown> | null,
    ...(r.plan_error ? { planError: r.plan_error as string } : {}),
    detectedAt: (r.detected_at as Date).toISOString(),
  }));
}

/** Statements over the last hours (one row per query id; the collector keeps the top N per cycle), ranked by total or mean time. */
export async function topStatements(pool: Pool, s: Scope, order: 'mean' | 'total', sinceHours: number) {
  const { rows } = await pool.query(
    `SELECT q.query_id, sum(q.calls)::float8 AS calls, sum(q.total_ms) AS total_ms, sum(q.total_ms) / nullif(sum(q.calls), 0) AS mean_ms,
       (SELECT query FROM perf.statement_texts st WHERE st.tenant_id = $1 AND st.target_id = $2 AND st.query_id = q.query_id) AS query
     FROM perf.query_stats q WHERE q.tenant_id = $1 AND q.target_id = $2 AND q.at > now() - make_interval(hours => $3)
     GROUP BY q.query_id ORDER BY ${order === 'mean' ? 'mean_ms' : 'total_ms'} DESC NULLS LAST, q.query_id`,
    [s.tenantId, s.targetId, sinceHours],
  );
  return rows.map((r) => ({ queryId: r.query_id as string, calls: Number(r.calls), totalMs: Number(r.total_ms), meanMs: Number(r.mean_ms ?? 0), query: (r.query ?? null) as string | null }));
}

/** Series of one metric: raw samples for short ranges, hourly rollups (mean per hour) beyond 48 hours. */
export async function metricSeries(pool: Pool, s: Scope, name: string, sinceHours: number) {
  if (sinceHours <= 48) {
    const { rows } = await pool.query(
      `SELECT at, value FROM perf.metric_samples WHERE tenant_id = $1 AND target_id = $2 AND name = $3 AND at > now() - make_interval(hours => $4) ORDER BY at`,
      [s.tenantId, s.targetId, name, sinceHours],
    );
    return { resolution: 'raw' as const, points: rows.map((r) => ({ at: (r.at as Date).toISOString(), value: Number(r.value) })) };
  }
  const { rows } = await pool.query(
    `SELECT bucket, sum / n AS value, min, max FROM perf.metric_rollups_hourly
     WHERE tenant_id = $1 AND target_id = $2 AND name = $3 AND bucket > now() - make_interval(hours => $4) ORDER BY bucket`,
    [s.tenantId, s.targetId, name, sinceHours],
  );
  return { resolution: 'hourly' as const, points: rows.map((r) => ({ at: (r.bucket as Date).toISOString(), value: Number(r.value), min: Number(r.min), max: Number(r.max) })) };
}

/** Drops raw samples past retention; the hourly rollups keep the long range. */
export async function pruneRawSamples(pool: Pool, retentionDays: number): Promise<number> {
  const res = await pool.query(`DELETE FROM perf.metric_samples WHERE at < now() - make_interval(days => $1)`, [retentionDays]);
  return res.rowCount ?? 0;
}
