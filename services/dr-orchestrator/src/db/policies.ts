// SQL for dr.policies.
import type { Pool } from 'pg';
import type { PhysicalSettings, PolicyKind } from '../domain/physical-policy.js';

export interface Policy {
  id: string;
  tenantId: string;
  name: string;
  database: string;
  sourceDisplay: string;
  sourceUrlEnc: string;
  schedule: string;
  jobs: number;
  repositoryPath: string;
  retentionCount: number;
  rpoTargetSeconds: number;
  rtoTargetSeconds: number;
  drillSchedule: string | null;
  enabled: boolean;
  kind: PolicyKind;
  physical: PhysicalSettings | null;
  cipherPassEnc: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export type PolicyInsert = Omit<Policy, 'createdAt' | 'updatedAt'>;
export type PolicyPatch = Partial<Omit<PolicyInsert, 'id' | 'tenantId'>>;

const toPolicy = (r: Record<string, unknown>): Policy => ({
  id: r.id as string,
  tenantId: r.tenant_id as string,
  name: r.name as string,
  database: r.database as string,
  sourceDisplay: r.source_display as string,
  sourceUrlEnc: r.source_url_enc as string,
  schedule: r.schedule as string,
  jobs: r.jobs as number,
  repositoryPath: r.repository_path as string,
  retentionCount: r.retention_count as number,
  rpoTargetSeconds: r.rpo_target_seconds as number,
  rtoTargetSeconds: r.rto_target_seconds as number,
  drillSchedule: (r.drill_schedule as string | null) ?? null,
  enabled: r.enabled as boolean,
  kind: (r.kind as PolicyKind | undefined) ?? 'logical',
  physical: (r.physical as PhysicalSettings | null) ?? null,
  cipherPassEnc: (r.cipher_pass_enc as string | null) ?? null,
  createdAt: r.created_at as Date,
  updatedAt: r.updated_at as Date,
});

const COLUMNS: Record<keyof PolicyPatch, string> = {
  name: 'name',
  database: 'database',
  sourceDisplay: 'source_display',
  sourceUrlEnc: 'source_url_enc',
  schedule: 'schedule',
  jobs: 'jobs',
  repositoryPath: 'repository_path',
  retentionCount: 'retention_count',
  rpoTargetSeconds: 'rpo_target_seconds',
  rtoTargetSeconds: 'rto_target_seconds',
  drillSchedule: 'drill_schedule',
  enabled: 'enabled',
  kind: 'kind',
  physical: 'physical',
  cipherPassEnc: 'cipher_pass_enc',
};

const dbValue = (k: keyof PolicyPatch, v: unknown) => (k === 'physical' && v ? JSON.stringify(v) : v);

export async function insertPolicy(pool: Pool, p: PolicyInsert): Promise<Policy> {
  const keys = Object.keys(COLUMNS) as (keyof PolicyPatch)[];
  const { rows } = await pool.query(
    `INSERT INTO dr.policies (id, tenant_id, ${keys.map((k) => COLUMNS[k]).join(', ')})
     VALUES ($1, $2, ${keys.map((_, i) => `$${i + 3}`).join(', ')}) RETURNING *`,
    [p.id, p.tenantId, ...keys.map((k) => dbValue(k, p[k]))],
  );
  return toPolicy(rows[0]);
}

export async function updatePolicy(pool: Pool, tenantId: string, id: string, patch: PolicyPatch): Promise<Policy | undefined> {
  const keys = (Object.keys(patch) as (keyof PolicyPatch)[]).filter((k) => patch[k] !== undefined);
  if (!keys.length) return getPolicy(pool, tenantId, id);
  const { rows } = await pool.query(
    `UPDATE dr.policies SET ${keys.map((k, i) => `${COLUMNS[k]} = $${i + 3}`).join(', ')}, updated_at = now()
     WHERE tenant_id = $1 AND id = $2 RETURNING *`,
    [tenantId, id, ...keys.map((k) => dbValue(k, patch[k]))],
  );
  return rows[0] ? toPolicy(rows[0]) : undefined;
}

export async function deletePolicy(pool: Pool, tenantId: string, id: string): Promise<boolean> {
  const { rowCount } = await pool.query('DELETE FROM dr.policies WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  return (rowCount ?? 0) > 0;
}

export async function getPolicy(pool: Pool, tenantId: string, id: string): Promise<Policy | undefined> {
  const { rows } = await pool.query('SELECT * FROM dr.policies WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  return rows[0] ? toPolicy(rows[0]) : undefined;
}

export async function listPolicies(pool: Pool, tenantId: string): Promise<Policy[]> {
  const { rows } = await pool.query('SELECT * FROM dr.policies WHERE tenant_id = $1 ORDER BY created_at, id', [tenantId]);
  return rows.map(toPolicy);
}

/** Every policy of every tenant: the scheduler's work list (disabled ones still get RPO checks). */
export async function listAllPolicies(pool: Pool): Promise<Policy[]> {
  const { rows } = await pool.query("SELECT * FROM dr.policies WHERE source_url_enc <> '' ORDER BY created_at, id");
  return rows.map(toPolicy);
}
