// RPO evaluation for one policy: opens a breach (and publishes it) when the last verified
// snapshot is older than the target, resolves it when a newer verified backup arrives.
import { RecoveryObjectiveBreached } from '@vigil/events';
import { lastVerifiedSnapshotAt } from '../db/backups.js';
import { hasOpenBreach, openBreach, resolveBreach } from '../db/breaches.js';
import type { Policy } from '../db/policies.js';
import { withTransaction } from '@vigil/service-kit';
import { breachTransition, rpoState, type ObjectiveState } from '../domain/objectives.js';
import { runbookUrl, type OperationContext } from './context.js';

export async function evaluateRpo(ctx: OperationContext, policy: Policy, now = new Date()): Promise<ObjectiveState> {
  // A physical policy's RPO is its WAL archive's lag, watched by the archiving watch
  // (physical-watch.ts); the age of its last base backup is not a data-loss window.
  if (policy.kind === 'physical') return { objective: 'rpo', targetSeconds: policy.rpoTargetSeconds, actualSeconds: undefined, breached: false };
  const state = rpoState(policy.rpoTargetSeconds, await lastVerifiedSnapshotAt(ctx.pool, policy.id), policy.createdAt, now);
  await withTransaction(ctx.pool, async (tx) => {
    const transition = breachTransition(state, await hasOpenBreach(tx, policy.id, 'rpo'));
    if (transition === 'resolve') return resolveBreach(tx, policy.id, 'rpo');
    if (transition !== 'open') return;
    const actualSeconds = Math.round(state.actualSeconds! * 1000) / 1000;
    if (!(await openBreach(tx, { tenantId: policy.tenantId, policyId: policy.id, objective: 'rpo', targetSeconds: policy.rpoTargetSeconds, actualSeconds }))) return;
    await ctx.outbox.enqueue(
      tx,
      RecoveryObjectiveBreached,
      {
        policyId: policy.id,
        database: policy.database,
        objective: 'rpo',
        targetSeconds: policy.rpoTargetSeconds,
        actualSeconds,
        detectedAt: now.toISOString(),
        runbookUrl: runbookUrl(ctx.config, 'rpo-breach'),
      },
      { tenantId: policy.tenantId },
    );
    ctx.log.warn({ policyId: policy.id, actualSeconds, targetSeconds: policy.rpoTargetSeconds }, 'RPO breached');
  });
  return state;
}
