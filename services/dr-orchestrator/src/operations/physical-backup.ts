// A physical backup through pgBackRest: stanza and archiving checked, `backup --type=…`, then
// the result read from `info --output=json` (a backup counts only if the JSON lists it without
// error, whatever the exit code), recorded with BackupFinished. pgBackRest expires old sets
// itself (repo1-retention-full); rows whose set is gone become 'expired'.
import { BackupFinished } from '@vigil/events';
import { withTransaction } from '@vigil/service-kit';
import { completedBackups, markBackupExpired, markPhysicalBackupCompleted, type Backup } from '../db/backups.js';
import type { Policy } from '../db/policies.js';
import { describePgBackRest, runPgBackRest, stanzaInfo } from '../clients/pgbackrest.js';
import type { BackupType } from '../domain/physical-policy.js';
import { recordBackupFailure } from './backup.js';
import type { OperationContext } from './context.js';
import { ensureStanza, preparePhysical } from './physical-setup.js';
import { ProgressReporter } from './progress-reporter.js';

export async function runPhysicalBackup(ctx: OperationContext, policy: Policy, backupId: string, type: BackupType, signal: AbortSignal): Promise<Backup | undefined> {
  const started = Date.now();
  const progress = new ProgressReporter(ctx, { tenantId: policy.tenantId, policyId: policy.id, operationId: backupId, kind: 'backup' });
  try {
    const s = await preparePhysical(ctx, policy);
    progress.report('checking stanza', 2);
    await ensureStanza(ctx, policy, s, signal);
    const before = new Set((await stanzaInfo(s.runner, s.paths.config, s.settings.stanza)).backups.map((b) => b.label));
    progress.report(`${type} backup`, 10);
    const run = await runPgBackRest(s.runner, s.paths.config, s.settings.stanza, [`--type=${type}`, 'backup'], signal);
    if (signal.aborted) throw new Error('interrupted: the orchestrator shut down during the backup');
    const info = await stanzaInfo(s.runner, s.paths.config, s.settings.stanza);
    const made = info.backups.filter((b) => !before.has(b.label)).at(-1);
    if (!run.ok || !made || made.error)
      throw new Error(run.ok ? `pgbackrest backup exited 0 but ${made ? `backup ${made.label} is marked in error` : 'info lists no new backup'}` : describePgBackRest('backup', run));
    await progress.flush();
    const durationMs = Date.now() - started;
    const backup = await withTransaction(ctx.pool, async (tx) => {
      const b = await markPhysicalBackupCompleted(tx, backupId, made, durationMs);
      await ctx.outbox.enqueue(
        tx,
        BackupFinished,
        { policyId: policy.id, backupId, database: policy.database, outcome: 'completed', sizeBytes: made.repoBytes, durationMs, finishedAt: new Date().toISOString() },
        { tenantId: policy.tenantId },
      );
      return b;
    });
    // pgBackRest applied retention after the backup: rows whose set left the repository are expired.
    const present = new Set(info.backups.map((b) => b.label));
    for (const b of await completedBackups(ctx.pool, policy.id)) if (b.path && !present.has(b.path)) await markBackupExpired(ctx.pool, b.id);
    ctx.log.info({ policyId: policy.id, backupId, label: made.label, type: made.type, repoBytes: made.repoBytes }, 'physical backup completed');
    return backup;
  } catch (err) {
    await progress.flush();
    await recordBackupFailure(ctx, policy, backupId, (err as Error).message, Date.now() - started);
    return undefined;
  }
}
