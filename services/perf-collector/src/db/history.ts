// SQL for capacity inputs and the optimization history with its before/after figures.
import type { Pool } from 'pg';
import type { Point } from '../domain/capacity.js';
import type { Scope } from './series.js';

/** What the service measured when advice was marked applied: plan costs before (hypopg's baseline) and after (the real index). */
export interface AppliedMeasurement {
  measuredAt: string;
  queries: { queryId: string; costBefore: number | null; costAfter: number | null }[];
}

/** A series for trends: hourly means over `days` when they span 3+ hours, else the raw samples of the last 48 hours. */
export async function trendSeries(pool: Pool, s: Scope, name: string, days: number): Promise<Point[]> {
  const hourly = await pool.query(
    `SELECT bucket AS at, sum / n AS value FROM perf.metric_rollups_hourly
     WHERE tenant_id = $1 AND target_id = $2 AND name = $3 AND bucket > now() - make_interval(days => $4) ORDER BY bucket`,
    [s.tenantId, s.targetId, name, days],
  );
  const rows =
    hourly.rows.length >= 3
      ? hourly.rows
      : (
          await pool.query(
            `SELECT at, value FROM perf.metric_samples WHERE tenant_id = $1 AND target_id = $2 AND name = $3 AND at > now() - interval '48 hours' ORDER BY at`,
            [s.tenantId, s.targetId, name],
          )
        ).rows;
  return rows.map((r) => ({ at: (r.at as Date).toISOString(), value: Number(r.value) }));
}

export async function tableGrowth(pool: Pool, s: Scope, days: number) {
  const { rows } = await pool.query(
    `SELECT relname, (array_agg(bytes ORDER BY at))[1] AS first_bytes, min(at) AS first_at,
            (array_agg(bytes ORDER BY at DESC))[1] AS last_bytes, max(at) AS last_at
     FROM perf.table_sizes WHERE tenant_id = $1 AND target_id = $2 AND at > now() - make_interval(days => $3)
     GROUP BY relname`,
    [s.tenantId, s.targetId, days],
  );
  return rows.map((r) => ({
    name: r.relname as string,
    first: { at: (r.first_at as Date).toISOString(), value: Number(r.first_bytes) },
    last: { at: (r.last_at as Date).toISOString(), value: Number(r.last_bytes) },
  }));
}

export async function insertOptimization(pool: Pool, s: Scope, o: { kind: string; description: string; queryIds: string[]; appliedAt: string }) {
  const { rows } = await pool.query(
    `INSERT INTO perf.optimizations (tenant_id, target_id, kind, description, query_ids, applied_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [s.tenantId, s.targetId, o.kind, o.description, o.queryIds, o.appliedAt],
  );
  return String(rows[0].id);
}

/** Each change with the mean query time and health score in the `windowH` hours before and after it. */
export async function optimizationHistory(pool: Pool, s: Scope, windowH: number) {
  const { rows } = await pool.query(
    `SELECT o.id, o.kind, o.description, o.query_ids, o.applied_at, o.measured,
       (SELECT avg(score) FROM perf.health_scores h WHERE h.tenant_id = o.tenant_id AND h.database_id = o.target_id
          AND h.scored_at >= o.applied_at - make_interval(hours => $3) AND h.scored_at < o.applied_at) AS score_before,
       (SELECT avg(score) FROM perf.health_scores h WHERE h.tenant_id = o.tenant_id AND h.database_id = o.target_id
          AND h.scored_at >= o.applied_at AND h.scored_at < o.applied_at + make_interval(hours => $3)) AS score_after,
       (SELECT coalesce(jsonb_agg(jsonb_build_object('queryId', q.qid, 'meanMsBefore', q.before, 'meanMsAfter', q.after, 'query', q.query)), '[]')
          FROM (SELECT qid,
                  (SELECT sum(total_ms) / nullif(sum(calls), 0) FROM perf.query_stats qs WHERE qs.tenant_id = o.tenant_id AND qs.target_id = o.target_id
                     AND qs.query_id = qid AND qs.at >= o.applied_at - make_interval(hours => $3) AND qs.at < o.applied_at) AS before,
                  (SELECT sum(total_ms) / nullif(sum(calls), 0) FROM perf.query_stats qs WHERE qs.tenant_id = o.tenant_id AND qs.target_id = o.target_id
                     AND qs.query_id = qid AND qs.at >= o.applied_at AND qs.at < o.applied_at + make_interval(hours => $3)) AS after,
                  (SELECT query FROM perf.statement_texts st WHERE st.tenant_id = o.tenant_id AND st.target_id = o.target_id AND st.query_id = qid) AS query
                FROM unnest(o.query_ids) AS qid) q) AS queries
     FROM perf.optimizations o WHERE o.tenant_id = $1 AND o.target_id = $2 ORDER BY o.applied_at DESC, o.id DESC`,
    [s.tenantId, s.targetId, windowH],
  );
  const n = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 100) / 100);
  return rows.map((r) => {
    const measured = r.measured as AppliedMeasurement | null;
    const cost = (queryId: string) => measured?.queries.find((q) => q.queryId === queryId);
    return {
      id: String(r.id),
      kind: r.kind as string,
      description: r.description as string,
      appliedAt: (r.applied_at as Date).toISOString(),
      source: measured ? ('advice' as const) : ('manual' as const),
      measuredAt: measured?.measuredAt ?? null,
      score: { before: n(r.score_before), after: n(r.score_after) },
      queries: (r.queries as { queryId: string; meanMsBefore: number | null; meanMsAfter: number | null; query: string | null }[]).map((q) => ({
        queryId: q.queryId,
        query: q.query,
        meanMsBefore: n(q.meanMsBefore),
        meanMsAfter: n(q.meanMsAfter),
        costBefore: n(cost(q.queryId)?.costBefore ?? null),
        costAfter: n(cost(q.queryId)?.costAfter ?? null),
      })),
    };
  });
}
