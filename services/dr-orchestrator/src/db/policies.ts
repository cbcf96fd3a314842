// SQL for dr.policies.
import type { Pool } from 'pg';

export async function listPolicies(pool: Pool, tenantId: string) {
  const { rows } = await pool.query(`SELECT id, database, schedule, created_at FROM dr.policies WHERE tenant_id = $1 ORDER BY created_at`, [tenantId]);
  return rows.map((r) => ({ id: r.id as string, database: r.database as string, schedule: r.schedule as string, createdAt: (r.created_at as Date).toISOString() }));
}
