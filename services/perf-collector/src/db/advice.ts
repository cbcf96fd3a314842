// SQL for applying index advice: the stored suggestion, and the optimization that records it
// with the figures measured before and after.
import type { Pool, PoolClient } from 'pg';
import type { Scope } from './series.js';

export interface StoredRecommendation {
  id: string;
  kind: string;
  table: string;
  index: string | null;
  statement: string;
  savingPct: number | null;
  queries: { queryId: string; query: string; costBefore?: number; costAfter?: number }[];
}

export async function getRecommendation(pool: Pool, s: Scope, id: string): Promise<StoredRecommendation | undefined> {
  if (!/^[0-9]{1,18}$/.test(id)) return undefined;
  const { rows } = await pool.query(
    `SELECT id, kind, table_name, index_name, statement, saving_pct, queries FROM perf.recommendations WHERE tenant_id = $1 AND target_id = $2 AND id = $3`,
    [s.tenantId, s.targetId, id],
  );
  const r = rows[0];
  if (!r) return undefined;
  return {
    id: String(r.id),
    kind: r.kind,
    table: r.table_name,
    index: r.index_name,
    statement: r.statement,
    savingPct: r.saving_pct === null ? null : Number(r.saving_pct),
    queries: r.queries,
  };
}

/** Mean time per call of each statement over the `hours` before now, from the collected intervals. */
export async function meanTimesBefore(pool: Pool, s: Scope, queryIds: string[], hours: number): Promise<Map<string, number>> {
  const { rows } = await pool.query(
    `SELECT query_id, sum(total_ms) / nullif(sum(calls), 0) AS mean FROM perf.query_stats
     WHERE tenant_id = $1 AND target_id = $2 AND query_id = ANY($3) AND at > now() - make_interval(hours => $4) GROUP BY query_id`,
    [s.tenantId, s.targetId, queryIds, hours],
  );
  return new Map(rows.filter((r) => r.mean !== null).map((r) => [r.query_id as string, Number(r.mean)]));
}

export async function insertAppliedRecommendation(
  tx: PoolClient,
  s: Scope,
  o: { kind: string; description: string; queryIds: string[]; appliedAt: string; recommendation: StoredRecommendation; measured: unknown },
): Promise<string> {
  const { rows } = await tx.query(
    `INSERT INTO perf.optimizations (tenant_id, target_id, kind, description, query_ids, applied_at, recommendation, measured)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [s.tenantId, s.targetId, o.kind, o.description, o.queryIds, o.appliedAt, JSON.stringify(o.recommendation), JSON.stringify(o.measured)],
  );
  await tx.query(`DELETE FROM perf.recommendations WHERE tenant_id = $1 AND target_id = $2 AND id = $3`, [s.tenantId, s.targetId, o.recommendation.id]);
  return String(rows[0].id);
}
