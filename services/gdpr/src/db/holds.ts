// SQL for erasure exceptions (retention policies, legal holds) and purge evidence.
import type { PoolClient } from 'pg';
import { keysetPage, type CursorKey, type Page } from '@vigil/service-kit';

export interface RetentionPolicyRow {
  id: string;
  category: string;
  ground: string;
  description: string;
  retentionDays: number;
  createdAt: string;
}

export interface LegalHoldRow {
  id: string;
  category: string;
  subjectRef: string | null;
  ground: string;
  reason: string;
  createdAt: string;
  endedAt: string | null;
}

export interface PurgeRunRow {
  id: string;
  category: string;
  cutoff: string;
  rows: number;
  detail: Record<string, unknown>;
  ranAt: string;
}

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : null);

export async function upsertRetentionPolicy(tx: PoolClient, tenantId: string, p: Omit<RetentionPolicyRow, 'createdAt'>): Promise<RetentionPolicyRow> {
  const { rows } = await tx.query(
    `INSERT INTO gdpr.retention_policies (id, tenant_id, category, ground, description, retention_days) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (tenant_id, category) DO UPDATE SET ground = EXCLUDED.ground, description = EXCLUDED.description, retention_days = EXCLUDED.retention_days
     RETURNING id, category, ground, description, retention_days, created_at`,
    [p.id, tenantId, p.category, p.ground, p.description, p.retentionDays],
  );
  return toPolicy(rows[0]);
}

function toPolicy(r: Record<string, unknown>): RetentionPolicyRow {
  return {
    id: r.id as string,
    category: r.category as string,
    ground: r.ground as string,
    description: r.description as string,
    retentionDays: r.retention_days as number,
    createdAt: iso(r.created_at)!,
  };
}

export async function listRetentionPolicies(tx: PoolClient): Promise<RetentionPolicyRow[]> {
  const { rows } = await tx.query(`SELECT id, category, ground, description, retention_days, created_at FROM gdpr.retention_policies ORDER BY category`);
  return rows.map(toPolicy);
}

function toHold(r: Record<string, unknown>): LegalHoldRow {
  return {
    id: r.id as string,
    category: r.category as string,
    subjectRef: r.subject_ref as string | null,
    ground: r.ground as string,
    reason: r.reason as string,
    createdAt: iso(r.created_at)!,
    endedAt: iso(r.ended_at),
  };
}

const HOLD_COLUMNS = 'id, category, subject_ref, ground, reason, created_at, ended_at';

export async function insertLegalHold(tx: PoolClient, tenantId: string, h: Pick<LegalHoldRow, 'id' | 'category' | 'subjectRef' | 'ground' | 'reason'>): Promise<LegalHoldRow> {
  const { rows } = await tx.query(
    `INSERT INTO gdpr.legal_holds (id, tenant_id, category, subject_ref, ground, reason) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${HOLD_COLUMNS}`,
    [h.id, tenantId, h.category, h.subjectRef, h.ground, h.reason],
  );
  return toHold(rows[0]);
}

export async function endLegalHold(tx: PoolClient, id: string): Promise<LegalHoldRow | undefined> {
  const { rows } = await tx.query(`UPDATE gdpr.legal_holds SET ended_at = now() WHERE id = $1 AND ended_at IS NULL RETURNING ${HOLD_COLUMNS}`, [id]);
  return rows[0] ? toHold(rows[0]) : undefined;
}

export async function getLegalHold(tx: PoolClient, id: string): Promise<LegalHoldRow | undefined> {
  const { rows } = await tx.query(`SELECT ${HOLD_COLUMNS} FROM gdpr.legal_holds WHERE id = $1`, [id]);
  return rows[0] ? toHold(rows[0]) : undefined;
}

export async function listLegalHolds(tx: PoolClient, activeOnly: boolean): Promise<LegalHoldRow[]> {
  const { rows } = await tx.query(`SELECT ${HOLD_COLUMNS} FROM gdpr.legal_holds ${activeOnly ? 'WHERE ended_at IS NULL' : ''} ORDER BY created_at`);
  return rows.map(toHold);
}

/** Holds in force for one subject: subject-specific ones plus category-wide ones. */
export async function activeHoldsFor(tx: PoolClient, subjectRef: string): Promise<LegalHoldRow[]> {
  const { rows } = await tx.query(
    `SELECT ${HOLD_COLUMNS} FROM gdpr.legal_holds WHERE ended_at IS NULL AND (subject_ref IS NULL OR subject_ref = $1) ORDER BY created_at`,
    [subjectRef],
  );
  return rows.map(toHold);
}

export async function insertPurgeRun(tx: PoolClient, tenantId: string, r: Omit<PurgeRunRow, 'ranAt'>): Promise<void> {
  await tx.query(`INSERT INTO gdpr.purge_runs (id, tenant_id, category, cutoff, rows, detail) VALUES ($1, $2, $3, $4, $5, $6)`, [
    r.id,
    tenantId,
    r.category,
    r.cutoff,
    r.rows,
    JSON.stringify(r.detail),
  ]);
}

/** Newest first; `after` is [ran_at as text, id] of the previous page's last run. */
export async function listPurgeRuns(tx: PoolClient, limit: number, after?: CursorKey): Promise<Page<PurgeRunRow>> {
  const { rows } = await tx.query(
    `SELECT id, category, cutoff, rows, detail, ran_at, ran_at::text AS cursor_at FROM gdpr.purge_runs
     WHERE ($2::timestamptz IS NULL OR (ran_at, id) < ($2::timestamptz, $3::uuid)) ORDER BY ran_at DESC, id DESC LIMIT $1`,
    [limit + 1, after?.[0] ?? null, after?.[1] ?? null],
  );
  return keysetPage(rows, limit, (r) => [r.cursor_at, r.id], (r) => ({ id: r.id, category: r.category, cutoff: iso(r.cutoff)!, rows: r.rows, detail: r.detail, ranAt: iso(r.ran_at)! }));
}

/**
 * Completed erasure requests issued under this hold or policy, with retained rows and no
 * follow-up yet (the leaves of each re-run chain), with the services that retained.
 */
export async function requestsWithRetainedData(tx: PoolClient, heldBy: { holdId: string } | { policyId: string }): Promise<{ requestId: string; services: string[] }[]> {
  const { rows } = await tx.query(
    `SELECT r.id, array_agg(DISTINCT x.service ORDER BY x.service) AS services
     FROM gdpr.subject_requests r JOIN gdpr.request_receipts x ON x.request_id = r.id
     WHERE r.kind = 'erasure' AND r.state = 'completed' AND r.holds @> $1::jsonb
       AND x.tables @> '[{"action":"retained"}]'::jsonb
       AND NOT EXISTS (SELECT 1 FROM gdpr.subject_requests c WHERE c.parent_id = r.id)
     GROUP BY r.id`,
    [JSON.stringify([heldBy])],
  );
  return rows.map((r) => ({ requestId: r.id, services: r.services }));
}
