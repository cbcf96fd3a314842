// Operator-started runs (API): backups, verifications of one backup, drills. Each checks that
// the policy or backup belongs to the caller's tenant, then hands the work to the runner.
import type { Pool } from 'pg';
import { getBackup } from '../db/backups.js';
import { backupNotFound } from '../errors.js';
import { requirePolicy } from './policies.js';
import type { OperationRunner } from './runner.js';

export interface StartedRun {
  id: string;
  backupId?: string;
}

export async function startManualBackup(pool: Pool, runner: OperationRunner, tenantId: string, policyId: string): Promise<StartedRun> {
  const policy = await requirePolicy(pool, tenantId, policyId);
  return { id: await runner.startBackup(policy, 'manual') };
}

export async function startManualVerification(pool: Pool, runner: OperationRunner, tenantId: string, backupId: string): Promise<StartedRun> {
  const backup = await getBackup(pool, tenantId, backupId);
  if (!backup) throw backupNotFound(backupId);
  const policy = await requirePolicy(pool, tenantId, backup.policyId);
  const started = await runner.startVerification(policy, 'verification', 'manual', backup.id);
  return { id: started.verificationId, backupId: started.backupId };
}

export async function startManualDrill(pool: Pool, runner: OperationRunner, tenantId: string, policyId: string): Promise<StartedRun> {
  const policy = await requirePolicy(pool, tenantId, policyId);
  const started = await runner.startVerification(policy, 'drill', 'manual');
  return { id: started.verificationId, backupId: started.backupId };
}
