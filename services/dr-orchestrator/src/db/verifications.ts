// SQL for dr.verifications (restore checks and drills).
import type { Pool, PoolClient } from 'pg';
import { keysetPage, type CursorKey, type Page } from '@vigil/service-kit';
import type { Check } from '../domain/facts.js';

type Queryable = Pick<Pool | PoolClient, 'query'>;

export type VerificationKind = 'verification' | 'drill';

export interface Verification {
  id: string;
  tenantId: string;
  policyId: string;
  backupId: string;
  kind: VerificationKind;
  trigger: 'schedule' | 'manual' | 'after-backup';
  status: 'running' | 'passed' | 'failed';
  scratchDb: string;
  checks: Check[];
  progressPct: number;
  phase: string;
  restoreMs: number | null;
  rtoSeconds: number | null;
  error: string | null;
  verifiedRpoSeconds: number | null;
  startedAt: Date;
  finishedAt: Date | null;
}

const toVerification = (r: Record<string, unknown>): Verification => ({
  id: r.id as string,
  tenantId: r.tenant_id as string,
  policyId: r.policy_id as string,
  backupId: r.backup_id as string,
  kind: r.kind as VerificationKind,
  trigger: r.trigger as Verification['trigger'],
  status: r.status as Verification['status'],
  scratchDb: r.scratch_db as string,
  checks: r.checks as Check[],
  progressPct: Number(r.progress_pct),
  phase: r.phase as string,
  restoreMs: (r.restore_ms as number | null) ?? null,
  rtoSeconds: (r.rto_seconds as number | null) ?? null,
  error: (r.error as string | null) ?? null,
  verifiedRpoSeconds: (r.verified_rpo_seconds as number | null) ?? null,
  startedAt: r.started_at as Date,
  finishedAt: (r.finished_at as Date | null) ?? null,
});

export async function insertRunningVerification(
  db: Queryable,
  v: Pick<Verification, 'id' | 'tenantId' | 'policyId' | 'backupId' | 'kind' | 'trigger' | 'scratchDb'>,
): Promise<void> {
  await db.query(
    `INSERT INTO dr.verifications (id, tenant_id, policy_id, backup_id, kind, trigger, status, scratch_db) VALUES ($1, $2, $3, $4, $5, $6, 'running', $7)`,
    [v.id, v.tenantId, v.policyId, v.backupId, v.kind, v.trigger, v.scratchDb],
  );
}

export async function setVerificationProgress(db: Queryable, id: string, phase: string, pct: number): Promise<void> {
  await db.query(`UPDATE dr.verifications SET phase = $2, progress_pct = $3 WHERE id = $1 AND status = 'running'`, [id, phase, pct]);
}

export async function finishVerification(
  tx: Queryable,
  id: string,
  r: { status: 'passed' | 'failed'; checks: Check[]; restoreMs: number | null; rtoSeconds: number | null; error: string | null; verifiedRpoSeconds?: number | null },
): Promise<Verification> {
  const { rows } = await tx.query(
    `UPDATE dr.verifications SET status = $2, checks = $3, restore_ms = $4, rto_seconds = $5, error = $6, verified_rpo_seconds = $7,
       progress_pct = 100, phase = $2, finished_at = now()
     WHERE id = $1 RETURNING *`,
    [id, r.status, JSON.stringify(r.checks), r.restoreMs, r.rtoSeconds, r.error?.slice(0, 2000) ?? null, r.verifiedRpoSeconds ?? null],
  );
  return toVerification(rows[0]);
}

export async function getVerification(db: Queryable, tenantId: string, id: string): Promise<Verification | undefined> {
  const { rows } = await db.query('SELECT * FROM dr.verifications WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  return rows[0] ? toVerification(rows[0]) : undefined;
}

export async function listVerifications(db: Queryable, tenantId: string, policyId: string, kind?: VerificationKind, limit = 100): Promise<Verification[]> {
  const { rows } = await db.query(
    `SELECT * FROM dr.verifications WHERE tenant_id = $1 AND policy_id = $2 AND ($3::text IS NULL OR kind = $3)
     ORDER BY started_at DESC LIMIT $4`,
    [tenantId, policyId, kind ?? null, limit],
  );
  return rows.map(toVerification);
}

/** A page of a policy's verifications (or drills), newest first; `after` is [started_at as text, id]. */
export async function pageVerifications(db: Queryable, tenantId: string, policyId: string, kind: VerificationKind | undefined, limit: number, after?: CursorKey): Promise<Page<Verification>> {
  const { rows } = await db.query(
    `SELECT *, started_at::text AS cursor_at FROM dr.verifications WHERE tenant_id = $1 AND policy_id = $2 AND ($3::text IS NULL OR kind = $3)
       AND ($5::timestamptz IS NULL OR (started_at, id) < ($5::timestamptz, $6::uuid))
     ORDER BY started_at DESC, id DESC LIMIT $4`,
    [tenantId, policyId, kind ?? null, limit + 1, after?.[0] ?? null, after?.[1] ?? null],
  );
  return keysetPage(rows, limit, (r) => [r.cursor_at, r.id], toVerification);
}

export async function runningVerifications(db: Queryable, policyId: string): Promise<Verification[]> {
  const { rows } = await db.query(`SELECT * FROM dr.verifications WHERE policy_id = $1 AND status = 'running'`, [policyId]);
  return rows.map(toVerification);
}

export async function lastFinished(db: Queryable, policyId: string, kind?: VerificationKind): Promise<Verification | undefined> {
  const { rows } = await db.query(
    `SELECT * FROM dr.verifications WHERE policy_id = $1 AND status <> 'running' AND ($2::text IS NULL OR kind = $2)
     ORDER BY finished_at DESC LIMIT 1`,
    [policyId, kind ?? null],
  );
  return rows[0] ? toVerification(rows[0]) : undefined;
}

export async function lastDrillStartedAt(db: Queryable, policyId: string): Promise<Date | undefined> {
  const { rows } = await db.query(`SELECT max(started_at) AS at FROM dr.verifications WHERE policy_id = $1 AND kind = 'drill'`, [policyId]);
  return (rows[0]?.at as Date | null) ?? undefined;
}

/** A restore that passed, with the backup it restored (for the continuity document's proof of each policy). */
export interface PassedRestore {
  kind: VerificationKind;
  finishedAt: Date;
  backupId: string;
  backupStartedAt: Date;
  snapshotAt: Date | null;
  backupStatus: string;
  backupVerification: string;
}

const PASSED_RESTORE = `SELECT v.kind, v.finished_at, b.id AS backup_id, b.started_at AS backup_started_at, b.snapshot_at, b.status AS backup_status,
       b.verification_status AS backup_verification
  FROM dr.verifications v JOIN dr.backups b ON b.id = v.backup_id
 WHERE v.policy_id = $1 AND v.status = 'passed' AND v.finished_at IS NOT NULL`;

const toPassedRestore = (r: Record<string, unknown>): PassedRestore => ({
  kind: r.kind as VerificationKind,
  finishedAt: r.finished_at as Date,
  backupId: r.backup_id as string,
  backupStartedAt: r.backup_started_at as Date,
  snapshotAt: (r.snapshot_at as Date | null) ?? null,
  backupStatus: r.backup_status as string,
  backupVerification: r.backup_verification as string,
});

/**
 * The newest backup that stands proven (its latest verification passed, as RPO counts it), with the last
 * restore that passed on it; else undefined.
 */
export async function lastProvenBackup(db: Queryable, policyId: string): Promise<PassedRestore | undefined> {
  const { rows } = await db.query(
    `${PASSED_RESTORE} AND b.status IN ('completed', 'expired') AND b.verification_status = 'passed'
     ORDER BY b.snapshot_at DESC NULLS LAST, v.finished_at DESC LIMIT 1`,
    [policyId],
  );
  return rows[0] ? toPassedRestore(rows[0]) : undefined;
}

/** The most recent restore that passed, whatever became of its backup since. */
export async function lastPassedRestore(db: Queryable, policyId: string): Promise<PassedRestore | undefined> {
  const { rows } = await db.query(`${PASSED_RESTORE} ORDER BY v.finished_at DESC LIMIT 1`, [policyId]);
  return rows[0] ? toPassedRestore(rows[0]) : undefined;
}
