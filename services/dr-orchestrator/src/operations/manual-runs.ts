// Operator-started runs (API): backups, verifications of one backup, drills. Each checks that
// the policy or backup belongs to the caller's tenant, then hands the work to the runner.
import type { Pool } from 'pg';
import { getBackup } from '../db/backups.js';
import { backupNotFound, policyInvalid } from '../errors.js';
import type { BackupType } from '../domain/physical-policy.js';
import { requirePolicy } from './policies.js';
import type { OperationRunner } from './runner.js';

export interface StartedRun {
  id: string;
  backupId?: string;
}

export async function startManualBackup(pool: Pool, runner: OperationRunner, tenantId: string, policyId: string, type?: BackupType): Promise<StartedRun> {
  const policy = await requirePolicy(pool, tenantId, policyId);
  if (type && policy.kind !== 'physical') throw policyInvalid('type: backup types (full, diff, incr) apply to physical policies only');
  return { id: await runner.startBackup(policy, 'manual', type) };
}

export async function startManualVerification(pool: Pool, runner: OperationRunner, tenantId: string, backupId: string): Promise<StartedRun> {
  const backup = await getBackup(pool, tenantId, backupId);
  if (!backup) throw backupNotFound(backupId);
  const policy = await requirePolicy(pool, tenantId, backup.policyId);
  const started = await runner.startVerification(policy, 'verification', 'manual', backup.id);
  return { id: started.verificationId, backupId: started.backupId };
}

export async function startManualDrill(pool: Pool, runner: OperationRunner, tenantId: string, policyId: string, targetTime?: string): Promise<StartedRun> {
  const policy = await requirePolicy(pool, tenantId, policyId);
  if (targetTime && policy.kind !== 'physical') throw policyInvalid('targetTime: point-in-time drills apply to physical policies only');
  const started = await runner.startVerification(policy, 'drill', 'manual', undefined, { targetTime: targetTime ? new Date(targetTime) : undefined });
  return { id: started.verificationId, backupId: started.backupId };
}
