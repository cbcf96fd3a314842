// One pass over every policy: starts due backups and drills of enabled policies, and evaluates
// RPO for every policy (a disabled one is exactly how backups silently stop). Several instances
// are safe: the policy lock decides who runs an operation.
import { AppError } from '@vigil/service-kit';
import { lastBackupOfTypeStartedAt, lastBackupStartedAt, latestCompletedBackup } from '../db/backups.js';
import { listAllPolicies, type Policy } from '../db/policies.js';
import type { BackupType } from '../domain/physical-policy.js';
import { lastDrillStartedAt } from '../db/verifications.js';
import { isDue } from '../domain/schedule.js';
import type { OperationContext } from './context.js';
import { evaluateRpo } from './objectives.js';
import type { OperationRunner } from './runner.js';

/** Full (the policy's schedule) before diff before incr: the first whose cron fired since its last run. */
async function duePhysicalType(ctx: OperationContext, policy: Policy, now: Date): Promise<BackupType | undefined> {
  const crons: [BackupType, string | null][] = [
    ['full', policy.schedule],
    ['diff', policy.physical?.diffSchedule ?? null],
    ['incr', policy.physical?.incrSchedule ?? null],
  ];
  for (const [type, cron] of crons) {
    if (cron && isDue(cron, (await lastBackupOfTypeStartedAt(ctx.pool, policy.id, type)) ?? policy.createdAt, now)) return type;
  }
  return undefined;
}

export async function runDueOperations(ctx: OperationContext, runner: OperationRunner, now = new Date(), signal?: AbortSignal): Promise<void> {
  for (const policy of await listAllPolicies(ctx.pool)) {
    if (signal?.aborted) return;
    try {
      if (policy.enabled && !runner.isBusy(policy.id)) {
        const lastBackup = (await lastBackupStartedAt(ctx.pool, policy.id)) ?? policy.createdAt;
        const latest = await latestCompletedBackup(ctx.pool, policy.id);
        const physicalDue = policy.kind === 'physical' ? await duePhysicalType(ctx, policy, now) : undefined;
        if (physicalDue) {
          await runner.startBackup(policy, 'schedule', physicalDue);
        } else if (policy.kind === 'logical' && isDue(policy.schedule, lastBackup, now)) {
          await runner.startBackup(policy, 'schedule');
        } else if (latest?.verificationStatus === 'pending') {
          // A backup whose verification was cut short (shutdown) is not good until restored.
          await runner.startVerification(policy, 'verification', 'schedule', latest.id);
        } else if (policy.drillSchedule) {
          const lastDrill = (await lastDrillStartedAt(ctx.pool, policy.id)) ?? policy.createdAt;
          if (isDue(policy.drillSchedule, lastDrill, now) && latest) await runner.startVerification(policy, 'drill', 'schedule');
        }
      }
      await evaluateRpo(ctx, policy, now);
    } catch (err) {
      // Busy elsewhere (another instance holds the policy lock) is normal.
      if (err instanceof AppError && err.code === 'DR_POLICY_BUSY') continue;
      ctx.log.warn({ policyId: policy.id, err: (err as Error).message }, 'scheduling a policy failed');
    }
  }
}
