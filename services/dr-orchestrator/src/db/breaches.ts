// SQL for dr.breaches: one open breach per policy and objective.
import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';

type Queryable = Pick<Pool | PoolClient, 'query'>;
export type Objective = 'rpo' | 'rto' | 'archiving';

export interface Breach {
  id: string;
  policyId: string;
  objective: Objective;
  targetSeconds: number;
  actualSeconds: number;
  detectedAt: Date;
  resolvedAt: Date | null;
}

const toBreach = (r: Record<string, unknown>): Breach => ({
  id: r.id as string,
  policyId: r.policy_id as string,
  objective: r.objective as Breach['objective'],
  targetSeconds: Number(r.target_seconds),
  actualSeconds: Number(r.actual_seconds),
  detectedAt: r.detected_at as Date,
  resolvedAt: (r.resolved_at as Date | null) ?? null,
});

/** Opens a breach unless one is open already; true when this call opened it. */
export async function openBreach(tx: Queryable, b: { tenantId: string; policyId: string; objective: Objective; targetSeconds: number; actualSeconds: number }): Promise<boolean> {
  const { rowCount } = await tx.query(
    `INSERT INTO dr.breaches (id, tenant_id, policy_id, objective, target_seconds, actual_seconds)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (policy_id, objective) WHERE resolved_at IS NULL DO NOTHING`,
    [randomUUID(), b.tenantId, b.policyId, b.objective, b.targetSeconds, b.actualSeconds],
  );
  return (rowCount ?? 0) > 0;
}

export async function resolveBreach(tx: Queryable, policyId: string, objective: Objective): Promise<void> {
  await tx.query('UPDATE dr.breaches SET resolved_at = now() WHERE policy_id = $1 AND objective = $2 AND resolved_at IS NULL', [policyId, objective]);
}

export async function openBreaches(db: Queryable, policyId: string): Promise<Breach[]> {
  const { rows } = await db.query('SELECT * FROM dr.breaches WHERE policy_id = $1 AND resolved_at IS NULL', [policyId]);
  return rows.map(toBreach);
}

export async function listBreaches(db: Queryable, tenantId: string, policyId: string, since: Date): Promise<Breach[]> {
  const { rows } = await db.query('SELECT * FROM dr.breaches WHERE tenant_id = $1 AND policy_id = $2 AND detected_at >= $3 ORDER BY detected_at', [tenantId, policyId, since]);
  return rows.map(toBreach);
}

export async function hasOpenBreach(db: Queryable, policyId: string, objective: Objective): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM dr.breaches WHERE policy_id = $1 AND objective = $2 AND resolved_at IS NULL', [policyId, objective]);
  return (rowCount ?? 0) > 0;
}
