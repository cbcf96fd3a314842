// One backup run: snapshot facts and pg_dump in the same snapshot, then seal (checksum,
// fsync, rename), then mark completed. Any failure leaves no directory and a failed row.
import { BackupFinished, OperationProgressed } from '@vigil/events';
import { withTransaction } from '@vigil/service-kit';
import { openSessions, SNAPSHOT_READ, withExternalPool } from '../clients/external-pool.js';
import { completedBackups, markBackupCompleted, markBackupExpired, markBackupFailed, type Backup } from '../db/backups.js';
import type { Policy } from '../db/policies.js';
import { collectFacts, exportSnapshot, listTables } from '../clients/source-facts.js';
import { DumpProgress } from '../domain/progress.js';
import { backupsToExpire } from '../domain/retention.js';
import { libpqEnv } from '../domain/source-url.js';
import { pgDump } from '../clients/pg-dump.js';
import { partialDir, prepareDumpTarget, probeRepository, removeBackupDir, sealBackup } from '../clients/backup-files.js';
import { backupAppName, runbookUrl, sourceOf, type OperationContext } from './context.js';
import { ProgressReporter } from './progress-reporter.js';

export async function runBackup(ctx: OperationContext, policy: Policy, backupId: string, signal: AbortSignal): Promise<Backup | undefined> {
  const started = Date.now();
  const progress = new ProgressReporter(ctx, { tenantId: policy.tenantId, policyId: policy.id, operationId: backupId, kind: 'backup' });
  try {
    progress.report('preparing', 0);
    const source = sourceOf(ctx.config, policy);
    await probeRepository(policy.repositoryPath, policy.id);
    const dumpDir = await prepareDumpTarget(policy.repositoryPath, policy.id, backupId);

    const facts = await withExternalPool(source.url, backupAppName(backupId), 1, async (sourcePool) => {
      await openSessions(sourcePool, 1).catch((err: Error) => {
        throw new Error(`cannot connect to source database ${source.parts.database} on ${source.parts.host}:${source.parts.port}: ${err.message}`);
      });
      // The exporting transaction stays open until pg_dump and the fact queries have both finished.
      return withTransaction(
        sourcePool,
        async (tx) => {
          const meta = await exportSnapshot(tx);
          const tables = await listTables(tx);
          const dumpProgress = new DumpProgress(tables, policy.jobs > 1);
          progress.report('dumping', 0);
          const [collected, dump] = await Promise.allSettled([
            collectFacts(tx, meta),
            pgDump({
              binDir: ctx.config.DR_PG_BIN_DIR,
              env: { ...ctx.config.toolEnv, ...libpqEnv(source.parts, backupAppName(backupId)) },
              dir: dumpDir,
              jobs: policy.jobs,
              snapshot: meta.snapshot,
              signal,
              onLine: (l) => {
                const pct = dumpProgress.line(l);
                if (pct !== undefined) progress.report('dumping', pct * 0.9);
              },
            }),
          ]);
          // A failed fact query aborts the exporting transaction, which then fails pg_dump: report the cause.
          if (collected.status === 'rejected') throw new Error(`reading table facts in the dump snapshot failed: ${(collected.reason as Error).message}`);
          if (dump.status === 'rejected') throw dump.reason;
          return collected.value;
        },
        SNAPSHOT_READ,
      );
    });

    progress.report('sealing', 90);
    const sealed = await sealBackup(policy.repositoryPath, {
      backupId,
      policyId: policy.id,
      database: policy.database,
      method: 'pg_dump-directory',
      facts,
    });
    await progress.flush();
    const durationMs = Date.now() - started;
    const backup = await withTransaction(ctx.pool, async (tx) => {
      const b = await markBackupCompleted(tx, backupId, { ...sealed, facts, durationMs });
      await ctx.outbox.enqueue(
        tx,
        BackupFinished,
        { policyId: policy.id, backupId, database: policy.database, outcome: 'completed', sizeBytes: sealed.sizeBytes, durationMs, finishedAt: new Date().toISOString() },
        { tenantId: policy.tenantId },
      );
      await ctx.outbox.enqueue(
        tx,
        OperationProgressed,
        { policyId: policy.id, operationId: backupId, kind: 'backup', phase: 'completed', percent: 100, at: new Date().toISOString() },
        { tenantId: policy.tenantId },
      );
      return b;
    });
    ctx.log.info({ policyId: policy.id, backupId, sizeBytes: sealed.sizeBytes, durationMs }, 'backup completed');
    await applyRetention(ctx, policy);
    return backup;
  } catch (err) {
    const message = signal.aborted ? 'interrupted: the orchestrator shut down during the backup' : (err as Error).message;
    await removeBackupDir(partialDir(policy.repositoryPath, policy.id, backupId)).catch(() => undefined);
    await progress.flush();
    await recordBackupFailure(ctx, policy, backupId, message, Date.now() - started);
    return undefined;
  }
}

export async function recordBackupFailure(ctx: OperationContext, policy: Policy, backupId: string, error: string, durationMs: number): Promise<void> {
  ctx.log.warn({ policyId: policy.id, backupId, error }, 'backup failed');
  await withTransaction(ctx.pool, async (tx) => {
    const failed = await markBackupFailed(tx, backupId, error, durationMs);
    if (!failed) return;
    await ctx.outbox.enqueue(
      tx,
      BackupFinished,
      {
        policyId: policy.id,
        backupId,
        database: policy.database,
        outcome: 'failed',
        durationMs,
        error,
        finishedAt: new Date().toISOString(),
        runbookUrl: runbookUrl(ctx.config, 'backup-failure'),
      },
      { tenantId: policy.tenantId },
    );
  });
}

/** Expires completed backups beyond the policy's retention (the last verified one always stays). */
export async function applyRetention(ctx: OperationContext, policy: Policy): Promise<void> {
  const completed = await completedBackups(ctx.pool, policy.id);
  const expire = backupsToExpire(
    completed.map((b) => ({ id: b.id, startedAt: b.startedAt, verificationStatus: b.verificationStatus })),
    policy.retentionCount,
  );
  for (const id of expire) {
    const b = completed.find((x) => x.id === id);
    // Mark first: a crash between the two leaves an orphan folder, never a row pointing at nothing.
    await markBackupExpired(ctx.pool, id);
    if (b?.path) await removeBackupDir(b.path);
  }
}
