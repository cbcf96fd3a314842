// SQL for dr.backups.
import type { Pool, PoolClient } from 'pg';
import { keysetPage, type CursorKey, type Page } from '@vigil/service-kit';
import type { SnapshotFacts } from '../domain/facts.js';
import type { BackupType, PgBackRestBackup } from '../domain/physical-policy.js';

type Queryable = Pick<Pool | PoolClient, 'query'>;

export type BackupStatus = 'running' | 'completed' | 'failed' | 'expired';
export type VerificationStatus = 'pending' | 'passed' | 'failed';

export interface Backup {
  id: string;
  tenantId: string;
  policyId: string;
  status: BackupStatus;
  trigger: 'schedule' | 'manual';
  verificationStatus: VerificationStatus;
  path: string | null;
  sizeBytes: number | null;
  fileCount: number | null;
  manifestSha256: string | null;
  facts: SnapshotFacts | null;
  snapshotAt: Date | null;
  progressPct: number;
  phase: string;
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  durationMs: number | null;
  backupType: BackupType | null;
  /** Physical backups: the pgBackRest backup as `info --output=json` described it. */
  physical: PgBackRestBackup | null;
}

const toBackup = (r: Record<string, unknown>): Backup => ({
  id: r.id as string,
  tenantId: r.tenant_id as string,
  policyId: r.policy_id as string,
  status: r.status as BackupStatus,
  trigger: r.trigger as Backup['trigger'],
  verificationStatus: r.verification_status as VerificationStatus,
  path: (r.path as string | null) ?? null,
  sizeBytes: r.size_bytes === null ? null : Number(r.size_bytes),
  fileCount: (r.file_count as number | null) ?? null,
  manifestSha256: (r.manifest_sha256 as string | null) ?? null,
  facts: (r.facts as SnapshotFacts | null) ?? null,
  snapshotAt: (r.snapshot_at as Date | null) ?? null,
  progressPct: Number(r.progress_pct),
  phase: r.phase as string,
  error: (r.error as string | null) ?? null,
  startedAt: r.started_at as Date,
  finishedAt: (r.finished_at as Date | null) ?? null,
  durationMs: (r.duration_ms as number | null) ?? null,
  backupType: (r.backup_type as BackupType | null) ?? null,
  physical: (r.physical as PgBackRestBackup | null) ?? null,
});

export async function insertRunningBackup(db: Queryable, b: { id: string; tenantId: string; policyId: string; trigger: Backup['trigger']; backupType?: BackupType | null }): Promise<void> {
  await db.query(`INSERT INTO dr.backups (id, tenant_id, policy_id, status, trigger, backup_type) VALUES ($1, $2, $3, 'running', $4, $5)`, [
    b.id,
    b.tenantId,
    b.policyId,
    b.trigger,
    b.backupType ?? null,
  ]);
}

/** A physical backup is complete once pgBackRest's info JSON lists it without error. */
export async function markPhysicalBackupCompleted(tx: Queryable, id: string, b: PgBackRestBackup, durationMs: number): Promise<Backup> {
  const { rows } = await tx.query(
    `UPDATE dr.backups SET status = 'completed', path = $2, size_bytes = $3, physical = $4, snapshot_at = $5, backup_type = $6,
       progress_pct = 100, phase = 'completed', finished_at = now(), duration_ms = $7
     WHERE id = $1 AND status = 'running' RETURNING *`,
    [id, b.label, b.repoBytes, JSON.stringify(b), b.stoppedAt, b.type, durationMs],
  );
  if (!rows[0]) throw new Error(`backup ${id} is no longer running`);
  return toBackup(rows[0]);
}

export async function lastBackupOfTypeStartedAt(db: Queryable, policyId: string, type: BackupType): Promise<Date | undefined> {
  const { rows } = await db.query('SELECT max(started_at) AS at FROM dr.backups WHERE policy_id = $1 AND backup_type = $2', [policyId, type]);
  return (rows[0]?.at as Date | null) ?? undefined;
}

export async function setBackupProgress(db: Queryable, id: string, phase: string, pct: number): Promise<void> {
  await db.query(`UPDATE dr.backups SET phase = $2, progress_pct = $3 WHERE id = $1 AND status = 'running'`, [id, phase, pct]);
}

export async function markBackupCompleted(
  tx: Queryable,
  id: string,
  r: { path: string; sizeBytes: number; fileCount: number; manifestSha256: string; facts: SnapshotFacts; durationMs: number },
): Promise<Backup> {
  const { rows } = await tx.query(
    `UPDATE dr.backups SET status = 'completed', path = $2, size_bytes = $3, file_count = $4, manifest_sha256 = $5, facts = $6,
       snapshot_at = $7, progress_pct = 100, phase = 'completed', finished_at = now(), duration_ms = $8
     WHERE id = $1 AND status = 'running' RETURNING *`,
    [id, r.path, r.sizeBytes, r.fileCount, r.manifestSha256, JSON.stringify(r.facts), r.facts.snapshotAt, r.durationMs],
  );
  if (!rows[0]) throw new Error(`backup ${id} is no longer running`);
  return toBackup(rows[0]);
}

export async function markBackupFailed(tx: Queryable, id: string, error: string, durationMs: number): Promise<Backup | undefined> {
  const { rows } = await tx.query(
    `UPDATE dr.backups SET status = 'failed', error = $2, phase = 'failed', finished_at = now(), duration_ms = $3
     WHERE id = $1 AND status = 'running' RETURNING *`,
    [id, error.slice(0, 2000), durationMs],
  );
  return rows[0] ? toBackup(rows[0]) : undefined;
}

export async function setVerificationStatus(tx: Queryable, id: string, status: VerificationStatus): Promise<void> {
  await tx.query('UPDATE dr.backups SET verification_status = $2 WHERE id = $1', [id, status]);
}

export async function markBackupExpired(db: Queryable, id: string): Promise<void> {
  await db.query(`UPDATE dr.backups SET status = 'expired', phase = 'expired' WHERE id = $1 AND status = 'completed'`, [id]);
}

export async function getBackup(db: Queryable, tenantId: string, id: string): Promise<Backup | undefined> {
  const { rows } = await db.query('SELECT * FROM dr.backups WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  return rows[0] ? toBackup(rows[0]) : undefined;
}

export async function listBackups(db: Queryable, tenantId: string, policyId: string, limit = 100): Promise<Backup[]> {
  const { rows } = await db.query('SELECT * FROM dr.backups WHERE tenant_id = $1 AND policy_id = $2 ORDER BY started_at DESC LIMIT $3', [tenantId, policyId, limit]);
  return rows.map(toBackup);
}

/** A page of a policy's backups, newest first; `after` is [started_at as text, id] of the previous page's last. */
export async function pageBackups(db: Queryable, tenantId: string, policyId: string, limit: number, after?: CursorKey): Promise<Page<Backup>> {
  const { rows } = await db.query(
    `SELECT *, started_at::text AS cursor_at FROM dr.backups WHERE tenant_id = $1 AND policy_id = $2
       AND ($4::timestamptz IS NULL OR (started_at, id) < ($4::timestamptz, $5::uuid))
     ORDER BY started_at DESC, id DESC LIMIT $3`,
    [tenantId, policyId, limit + 1, after?.[0] ?? null, after?.[1] ?? null],
  );
  return keysetPage(rows, limit, (r) => [r.cursor_at, r.id], toBackup);
}

/** Backups left 'running' by a process that died (the caller holds the policy lock, so none is live). */
export async function runningBackups(db: Queryable, policyId: string): Promise<Backup[]> {
  const { rows } = await db.query(`SELECT * FROM dr.backups WHERE policy_id = $1 AND status = 'running'`, [policyId]);
  return rows.map(toBackup);
}

export async function completedBackups(db: Queryable, policyId: string): Promise<Backup[]> {
  const { rows } = await db.query(`SELECT * FROM dr.backups WHERE policy_id = $1 AND status = 'completed' ORDER BY started_at DESC`, [policyId]);
  return rows.map(toBackup);
}

export async function latestCompletedBackup(db: Queryable, policyId: string): Promise<Backup | undefined> {
  const { rows } = await db.query(`SELECT * FROM dr.backups WHERE policy_id = $1 AND status = 'completed' ORDER BY started_at DESC LIMIT 1`, [policyId]);
  return rows[0] ? toBackup(rows[0]) : undefined;
}

export async function lastVerifiedSnapshotAt(db: Queryable, policyId: string): Promise<Date | undefined> {
  const { rows } = await db.query(
    `SELECT max(snapshot_at) AS at FROM dr.backups WHERE policy_id = $1 AND status IN ('completed', 'expired') AND verification_status = 'passed'`,
    [policyId],
  );
  return (rows[0]?.at as Date | null) ?? undefined;
}

export async function lastBackupStartedAt(db: Queryable, policyId: string): Promise<Date | undefined> {
  const { rows } = await db.query('SELECT max(started_at) AS at FROM dr.backups WHERE policy_id = $1', [policyId]);
  return (rows[0]?.at as Date | null) ?? undefined;
}

/** What a tenant's backups hold, per policy: for data subject requests (Art. 15 storage information). */
export async function backupHoldings(db: Queryable, tenantId: string): Promise<{ database: string; backups: number; oldest: Date | null; retentionCount: number }[]> {
  const { rows } = await db.query(
    `SELECT p.database, p.retention_count, count(b.id)::int AS backups, min(b.started_at) AS oldest
       FROM dr.policies p LEFT JOIN dr.backups b ON b.policy_id = p.id AND b.status = 'completed'
      WHERE p.tenant_id = $1 GROUP BY p.id ORDER BY p.database`,
    [tenantId],
  );
  return rows.map((r) => ({ database: r.database as string, backups: r.backups as number, oldest: (r.oldest as Date | null) ?? null, retentionCount: r.retention_count as number }));
}
