// SQL for perf.health_scores.
import type { Pool, PoolClient } from 'pg';
import type { HealthCheck, HealthScore } from '../domain/health-score.js';

export async function insertHealthScore(tx: PoolClient, tenantId: string, databaseId: string, h: HealthScore): Promise<string> {
  const { rows } = await tx.query(
    `INSERT INTO perf.health_scores (tenant_id, database_id, score, status, components, checks) VALUES ($1, $2, $3, $4, $5, $6) RETURNING scored_at`,
    [tenantId, databaseId, h.score, h.status, JSON.stringify(h.components), JSON.stringify(h.checks)],
  );
  return (rows[0].scored_at as Date).toISOString();
}

export async function healthHistory(pool: Pool, tenantId: string, databaseId: string, limit = 100) {
  const { rows } = await pool.query(
    `SELECT score, status, components, checks, scored_at FROM perf.health_scores WHERE tenant_id = $1 AND database_id = $2 ORDER BY scored_at DESC LIMIT $3`,
    [tenantId, databaseId, limit],
  );
  return rows.map((r) => ({ score: r.score as number, status: r.status as string, components: r.components, ...(r.checks ? { checks: r.checks as HealthCheck[] } : {}), scoredAt: (r.scored_at as Date).toISOString() }));
}
