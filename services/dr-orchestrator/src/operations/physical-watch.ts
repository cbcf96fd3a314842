// The watch over physical sources, every DR_HEARTBEAT_TICK_MS: writes the heartbeat row each
// policy's period asks for (the newest one present after a restore is the verified RPO), and
// reads pg_stat_archiver: failed or stalled WAL archiving is how PITR silently dies, so it
// opens an 'archiving' breach and publishes RecoveryObjectiveBreached{objective: rpo, cause}.
import { RecoveryObjectiveBreached } from '@vigil/events';
import { withTransaction } from '@vigil/service-kit';
import { hasOpenBreach, openBreach, resolveBreach } from '../db/breaches.js';
import { listAllPolicies, type Policy } from '../db/policies.js';
import { archiverState, ensureHeartbeatTable, writeHeartbeat } from '../clients/physical-source.js';
import { withClient } from '../clients/scratch.js';
import { archivingVerdict, type ArchivingVerdict } from '../domain/physical-policy.js';
import { withDatabase } from '../domain/source-url.js';
import { runbookUrl, sourceOf, type OperationContext } from './context.js';

const lastBeat = new Map<string, number>();
const tableReady = new Set<string>();

export async function watchPhysicalSources(ctx: OperationContext, now = new Date(), signal?: AbortSignal): Promise<void> {
  for (const policy of await listAllPolicies(ctx.pool)) {
    if (signal?.aborted) return;
    if (policy.kind !== 'physical' || !policy.physical || !policy.enabled) continue;
    try {
      await heartbeat(ctx, policy, now);
      await evaluateArchiving(ctx, policy, now);
    } catch (err) {
      ctx.log.warn({ policyId: policy.id, err: (err as Error).message }, 'watching a physical source failed');
    }
  }
}

async function heartbeat(ctx: OperationContext, policy: Policy, now: Date): Promise<void> {
  const s = policy.physical!;
  if (now.getTime() - (lastBeat.get(policy.id) ?? 0) < s.heartbeatSeconds * 1000) return;
  const source = sourceOf(ctx.config, policy);
  await withClient(source.url, 'vigil-dr-heartbeat', async (c) => {
    if (!tableReady.has(`${policy.id}:${s.heartbeatSchema}`)) {
      await ensureHeartbeatTable(c, s.heartbeatSchema);
      tableReady.add(`${policy.id}:${s.heartbeatSchema}`);
    }
    await writeHeartbeat(c, s.heartbeatSchema, policy.id);
  });
  lastBeat.set(policy.id, now.getTime());
}

export async function evaluateArchiving(ctx: OperationContext, policy: Policy, now = new Date()): Promise<ArchivingVerdict> {
  const source = sourceOf(ctx.config, policy);
  const state = await withClient(withDatabase(source.url, 'postgres'), 'vigil-dr-archiver-watch', (c) => archiverState(c));
  const verdict = archivingVerdict(state, policy.physical!.archiveStallSeconds, now, policy.createdAt);
  await withTransaction(ctx.pool, async (tx) => {
    const open = await hasOpenBreach(tx, policy.id, 'archiving');
    if (verdict.ok) {
      if (open) await resolveBreach(tx, policy.id, 'archiving');
      return;
    }
    if (open) return;
    const target = policy.physical!.archiveStallSeconds;
    const actual = Math.round(verdict.seconds * 1000) / 1000;
    if (!(await openBreach(tx, { tenantId: policy.tenantId, policyId: policy.id, objective: 'archiving', targetSeconds: target, actualSeconds: actual }))) return;
    await ctx.outbox.enqueue(
      tx,
      RecoveryObjectiveBreached,
      {
        policyId: policy.id,
        database: policy.database,
        objective: 'rpo',
        targetSeconds: target,
        actualSeconds: actual,
        detectedAt: now.toISOString(),
        runbookUrl: runbookUrl(ctx.config, 'archiving-stalled'),
        cause: verdict.cause,
        detail: verdict.detail,
      },
      { tenantId: policy.tenantId },
    );
    ctx.log.warn({ policyId: policy.id, cause: verdict.cause, detail: verdict.detail }, 'WAL archiving broken');
  });
  return verdict;
}
