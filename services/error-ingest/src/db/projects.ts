// SQL for errors.projects and errors.project_keys.
import { randomBytes } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { DEFAULT_SCRUBBING, type ScrubSettings } from '../domain/scrub.js';

type Queryable = Pick<Pool | PoolClient, 'query'>;

export interface ProjectRow {
  id: string;
  name: string;
  retentionDays: number;
  rateLimitPerMinute: number | null;
  scrubbing: ScrubSettings;
  createdAt: string;
}

export interface ProjectChanges {
  name?: string;
  retentionDays?: number;
  rateLimitPerMinute?: number | null;
  scrubbing?: Partial<ScrubSettings>;
}

const PROJECT_COLS = 'id, name, retention_days, rate_limit_per_minute, scrubbing, created_at';
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const toProject = (r: any): ProjectRow => ({
  id: String(r.id),
  name: r.name,
  retentionDays: r.retention_days,
  rateLimitPerMinute: r.rate_limit_per_minute,
  scrubbing: { ...DEFAULT_SCRUBBING, ...r.scrubbing },
  createdAt: r.created_at.toISOString(),
});

export async function createProject(pool: Pool, tenantId: string, p: ProjectChanges & { name: string }): Promise<ProjectRow | undefined> {
  const { rows } = await pool.query(
    `INSERT INTO errors.projects (tenant_id, name, retention_days, rate_limit_per_minute, scrubbing)
     VALUES ($1, $2, COALESCE($3, 90), $4, $5) ON CONFLICT DO NOTHING RETURNING ${PROJECT_COLS}`,
    [tenantId, p.name, p.retentionDays ?? null, p.rateLimitPerMinute ?? null, JSON.stringify(p.scrubbing ?? {})],
  );
  return rows[0] && toProject(rows[0]);
}

export async function listProjects(pool: Pool, tenantId: string): Promise<ProjectRow[]> {
  const { rows } = await pool.query(`SELECT ${PROJECT_COLS} FROM errors.projects WHERE tenant_id = $1 ORDER BY id`, [tenantId]);
  return rows.map(toProject);
}

export async function getProject(db: Queryable, tenantId: string, id: string): Promise<ProjectRow | undefined> {
  const { rows } = await db.query(`SELECT ${PROJECT_COLS} FROM errors.projects WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
  return rows[0] && toProject(rows[0]);
}

export async function updateProject(pool: Pool, tenantId: string, id: string, c: ProjectChanges): Promise<ProjectRow | undefined> {
  const { rows } = await pool.query(
    `UPDATE errors.projects SET
       name = COALESCE($3, name),
       retention_days = COALESCE($4, retention_days),
       rate_limit_per_minute = CASE WHEN $5::boolean THEN $6 ELSE rate_limit_per_minute END,
       scrubbing = scrubbing || $7::jsonb
     WHERE tenant_id = $1 AND id = $2 RETURNING ${PROJECT_COLS}`,
    [tenantId, id, c.name ?? null, c.retentionDays ?? null, c.rateLimitPerMinute !== undefined, c.rateLimitPerMinute ?? null, JSON.stringify(c.scrubbing ?? {})],
  );
  return rows[0] && toProject(rows[0]);
}

/** Deletes the project (its keys, issues and events cascade) and its accepted events still waiting, in the caller's transaction. */
export async function deleteProject(tx: PoolClient, tenantId: string, id: string): Promise<boolean> {
  await tx.query(`DELETE FROM errors.accepted_events WHERE project_id = $1 AND EXISTS (SELECT 1 FROM errors.projects WHERE id = $1 AND tenant_id = $2)`, [id, tenantId]);
  const { rowCount } = await tx.query(`DELETE FROM errors.projects WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
  return !!rowCount;
}

export async function scrubbingOf(db: Queryable, projectIds: string[]): Promise<Map<string, { tenantId: string; scrubbing: ScrubSettings }>> {
  const { rows } = await db.query(`SELECT id, tenant_id, scrubbing FROM errors.projects WHERE id = ANY($1::bigint[])`, [projectIds]);
  return new Map(rows.map((r) => [String(r.id), { tenantId: r.tenant_id as string, scrubbing: { ...DEFAULT_SCRUBBING, ...r.scrubbing } }]));
}

export interface KeyRow {
  id: string;
  projectId: string;
  publicKey: string;
  label: string;
  rateLimitPerMinute: number | null;
  createdAt: string;
  revokedAt: string | null;
}

const KEY_COLS = 'id, project_id, public_key, label, rate_limit_per_minute, created_at, revoked_at';
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const toKey = (r: any): KeyRow => ({
  id: String(r.id),
  projectId: String(r.project_id),
  publicKey: r.public_key,
  label: r.label,
  rateLimitPerMinute: r.rate_limit_per_minute,
  createdAt: r.created_at.toISOString(),
  revokedAt: r.revoked_at ? r.revoked_at.toISOString() : null,
});

export async function createKey(db: Queryable, tenantId: string, projectId: string, label: string, rateLimitPerMinute: number | null): Promise<KeyRow | undefined> {
  try {
    const { rows } = await db.query(
      `INSERT INTO errors.project_keys (project_id, tenant_id, public_key, label, rate_limit_per_minute)
       SELECT id, tenant_id, $3, $4, $5 FROM errors.projects WHERE tenant_id = $1 AND id = $2 RETURNING ${KEY_COLS}`,
      [tenantId, projectId, randomBytes(16).toString('hex'), label, rateLimitPerMinute],
    );
    return rows[0] && toKey(rows[0]);
  } catch (err) {
    // 23503: the project was deleted by a concurrent request after this statement's snapshot saw it.
    if ((err as { code?: string }).code === '23503') return undefined;
    throw err;
  }
}

export async function listKeys(pool: Pool, tenantId: string, projectId: string): Promise<KeyRow[]> {
  const { rows } = await pool.query(`SELECT ${KEY_COLS} FROM errors.project_keys WHERE tenant_id = $1 AND project_id = $2 ORDER BY id`, [tenantId, projectId]);
  return rows.map(toKey);
}

export async function revokeKey(db: Queryable, tenantId: string, projectId: string, keyId: string): Promise<KeyRow | undefined> {
  const { rows } = await db.query(
    `UPDATE errors.project_keys SET revoked_at = COALESCE(revoked_at, now())
     WHERE tenant_id = $1 AND project_id = $2 AND id = $3 RETURNING ${KEY_COLS}`,
    [tenantId, projectId, keyId],
  );
  return rows[0] && toKey(rows[0]);
}


export interface ActiveKey {
  keyId: string;
  projectId: string;
  tenantId: string;
  projectRatePerMinute: number | null;
  keyRatePerMinute: number | null;
}

export async function findActiveKey(pool: Pool, projectId: string, publicKey: string): Promise<ActiveKey | undefined> {
  const { rows } = await pool.query(
    `SELECT k.id, k.project_id, k.tenant_id, k.rate_limit_per_minute AS key_rate, p.rate_limit_per_minute AS project_rate
       FROM errors.project_keys k JOIN errors.projects p ON p.id = k.project_id
      WHERE k.public_key = $1 AND k.project_id = $2 AND k.revoked_at IS NULL`,
    [publicKey, projectId],
  );
  const r = rows[0];
  return r && { keyId: String(r.id), projectId: String(r.project_id), tenantId: r.tenant_id, projectRatePerMinute: r.project_rate, keyRatePerMinute: r.key_rate };
}
