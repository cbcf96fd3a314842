// SQL for errors.projects.
import type { Pool } from 'pg';

export interface ProjectRow {
  id: string;
  name: string;
  createdAt: string;
}

export async function createProject(pool: Pool, tenantId: string, name: string): Promise<ProjectRow | undefined> {
  const { rows } = await pool.query(
    `INSERT INTO errors.projects (tenant_id, name) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING id, name, created_at`,
    [tenantId, name],
  );
  const r = rows[0];
  return r && { id: String(r.id), name: r.name, createdAt: r.created_at.toISOString() };
}

export async function listProjects(pool: Pool, tenantId: string): Promise<ProjectRow[]> {
  const { rows } = await pool.query(`SELECT id, name, created_at FROM errors.projects WHERE tenant_id = $1 ORDER BY id`, [tenantId]);
  return rows.map((r) => ({ id: String(r.id), name: r.name, createdAt: r.created_at.toISOString() }));
}
