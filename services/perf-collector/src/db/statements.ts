// SQL for the statement workbench: ranked statements with their per-interval series (keyset
// pages), one statement's history, and its text.
import type { Pool } from 'pg';
import type { Scope } from './series.js';

export interface StatementPoint {
  at: string;
  calls: number;
  totalMs: number;
  meanMs: number;
  rows: number;
}

const point = (r: Record<string, unknown>): StatementPoint => ({
  at: (r.at as Date).toISOString(),
  calls: Number(r.calls),
  totalMs: Number(r.total_ms),
  meanMs: Number(r.mean_ms),
  rows: Number(r.rows),
});

/**
 * Statements of the last `hours`, ranked by total or mean time, `limit` after the keyset
 * `after` (the rank value and query id of the previous page's last row).
 */
export async function rankedStatements(pool: Pool, s: Scope, o: { order: 'total' | 'mean'; hours: number; limit: number; after?: { v: number; id: string } }) {
  const rank = o.order === 'mean' ? 'mean_ms' : 'total_ms';
  const { rows } = await pool.query(
    `SELECT * FROM (
       SELECT q.query_id, sum(q.calls)::float8 AS calls, sum(q.total_ms) AS total_ms, coalesce(sum(q.total_ms) / nullif(sum(q.calls), 0), 0) AS mean_ms,
              sum(q.rows)::float8 AS rows, max(q.at) AS last_at,
              (SELECT query FROM perf.statement_texts st WHERE st.tenant_id = $1 AND st.target_id = $2 AND st.query_id = q.query_id) AS query
       FROM perf.query_stats q WHERE q.tenant_id = $1 AND q.target_id = $2 AND q.at > now() - make_interval(hours => $3)
       GROUP BY q.query_id) ranked
     WHERE $5::float8 IS NULL OR (${rank}, query_id) < ($5::float8, $6::text)
     ORDER BY ${rank} DESC, query_id DESC LIMIT $4`,
    [s.tenantId, s.targetId, o.hours, o.limit, o.after?.v ?? null, o.after?.id ?? ''],
  );
  return rows.map((r) => ({
    queryId: r.query_id as string,
    query: (r.query ?? null) as string | null,
    calls: Number(r.calls),
    totalMs: Number(r.total_ms),
    meanMs: Number(r.mean_ms),
    rows: Number(r.rows),
    lastSeenAt: (r.last_at as Date).toISOString(),
  }));
}

/** Per-interval points of the given statements over the last `hours`, oldest first. */
export async function statementSeries(pool: Pool, s: Scope, queryIds: string[], hours: number): Promise<Map<string, StatementPoint[]>> {
  const out = new Map<string, StatementPoint[]>(queryIds.map((id) => [id, []]));
  if (!queryIds.length) return out;
  const { rows } = await pool.query(
    `SELECT query_id, at, calls, total_ms, mean_ms, rows FROM perf.query_stats
     WHERE tenant_id = $1 AND target_id = $2 AND query_id = ANY($3) AND at > now() - make_interval(hours => $4) ORDER BY at`,
    [s.tenantId, s.targetId, queryIds, hours],
  );
  for (const r of rows) out.get(r.query_id as string)?.push(point(r));
  return out;
}

/** One statement's points, oldest first, after the keyset `after` (an interval time). */
export async function statementHistory(pool: Pool, s: Scope, queryId: string, o: { hours: number; limit: number; after?: string }) {
  const { rows } = await pool.query(
    `SELECT at, calls, total_ms, mean_ms, rows FROM perf.query_stats
     WHERE tenant_id = $1 AND target_id = $2 AND query_id = $3 AND at > now() - make_interval(hours => $4) AND ($6::timestamptz IS NULL OR at > $6)
     ORDER BY at LIMIT $5`,
    [s.tenantId, s.targetId, queryId, o.hours, o.limit, o.after ?? null],
  );
  return rows.map(point);
}

/** The normalised text of a statement seen on the target, or undefined. */
export async function statementText(pool: Pool, s: Scope, queryId: string): Promise<string | undefined> {
  const { rows } = await pool.query(
    `SELECT query FROM perf.statement_texts WHERE tenant_id = $1 AND target_id = $2 AND query_id = $3
     UNION ALL SELECT query FROM perf.slow_queries WHERE tenant_id = $1 AND target_id = $2 AND query_id = $3 LIMIT 1`,
    [s.tenantId, s.targetId, queryId],
  );
  return rows[0]?.query as string | undefined;
}
