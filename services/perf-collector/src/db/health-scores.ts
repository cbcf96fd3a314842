// SQL for perf.health_scores.
import { keysetPage, type CursorKey, type Page } from '@vigil/service-kit';
import type { Pool, PoolClient } from 'pg';
import type { HealthCheck, HealthScore } from '../domain/health-score.js';

export async function insertHealthScore(tx: PoolClient, tenantId: string, databaseId: string, h: HealthScore): Promise<string> {
  const { rows } = await tx.query(
    `INSERT INTO perf.health_scores (tenant_id, database_id, score, status, components, checks) VALUES ($1, $2, $3, $4, $5, $6) RETURNING scored_at`,
    [tenantId, databaseId, h.score, h.status, JSON.stringify(h.components), JSON.stringify(h.checks)],
  );
  return (rows[0].scored_at as Date).toISOString();
}

/** A page of a database's scores, newest first; `after` is [scored_at as text, id] of the previous page's last. */
export async function pageHealthHistory(pool: Pool, tenantId: string, databaseId: string, limit: number, after?: CursorKey): Promise<Page<HealthHistoryRow>> {
  const { rows } = await pool.query(
    `SELECT id, score, status, components, checks, scored_at, scored_at::text AS cursor_at FROM perf.health_scores WHERE tenant_id = $1 AND database_id = $2
       AND ($4::timestamptz IS NULL OR (scored_at, id) < ($4::timestamptz, $5::bigint))
     ORDER BY scored_at DESC, id DESC LIMIT $3`,
    [tenantId, databaseId, limit + 1, after?.[0] ?? null, after?.[1] ?? null],
  );
  return keysetPage(rows, limit, (r) => [r.cursor_at, String(r.id)], toScore);
}

interface HealthHistoryRow {
  score: number;
  status: string;
  components: { name: string; penalty: number; detail: string }[];
  /** Absent on scores stored before migration 0004. */
  checks?: HealthCheck[];
  scoredAt: string;
}
const toScore = (r: Record<string, unknown>): HealthHistoryRow => ({
  score: r.score as number,
  status: r.status as string,
  components: r.components as HealthHistoryRow['components'],
  ...(r.checks ? { checks: r.checks as HealthCheck[] } : {}),
  scoredAt: (r.scored_at as Date).toISOString(),
});

export async function healthHistory(pool: Pool, tenantId: string, databaseId: string, limit = 100) {
  const { rows } = await pool.query(
    `SELECT score, status, components, checks, scored_at FROM perf.health_scores WHERE tenant_id = $1 AND database_id = $2 ORDER BY scored_at DESC LIMIT $3`,
    [tenantId, databaseId, limit],
  );
  return rows.map((r) => ({ score: r.score as number, status: r.status as string, components: r.components, ...(r.checks ? { checks: r.checks as HealthCheck[] } : {}), scoredAt: (r.scored_at as Date).toISOString() }));
}
