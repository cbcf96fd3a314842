// Runs backups, verifications and drills in the background: one operation per policy at a
// time (a PostgreSQL session advisory lock, so also across instances), a global concurrency
// limit, crash recovery before each run, and an abort of every child tool on shutdown.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { getBackup, insertRunningBackup, latestCompletedBackup, runningBackups, type Backup } from '../db/backups.js';
import type { Policy } from '../db/policies.js';
import { dropDatabase, terminateSessions, withClient } from '../clients/scratch.js';
import { insertRunningVerification, runningVerifications, type VerificationKind } from '../db/verifications.js';
import { withDatabase } from '../domain/source-url.js';
import { backupNotFound, backupNotRestorable, noBackupForDrill, policyBusy } from '../errors.js';
import { removePartials } from '../clients/backup-files.js';
import { recordBackupFailure, runBackup } from './backup.js';
import { backupAppName, restoreAppName, scratchName, sourceOf, type OperationContext } from './context.js';
import { evaluateRpo } from './objectives.js';
import { finish, runVerification } from './verification.js';
import { runPhysicalBackup } from './physical-backup.js';
import { runPhysicalVerification } from './physical-verification.js';
import { removeScratchCluster, scratchClusterDir } from '../clients/scratch-cluster.js';
import type { BackupType } from '../domain/physical-policy.js';

type Trigger = 'schedule' | 'manual';

class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];
  constructor(n: number) {
    this.free = n;
  }
  async acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return;
    }
    await new Promise<void>((r) => this.waiting.push(r));
  }
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}

export class OperationRunner {
  private readonly slots: Slots;
  private readonly active = new Set<Promise<unknown>>();
  private readonly busy = new Set<string>();
  private readonly abort = new AbortController();

  constructor(private readonly ctx: OperationContext) {
    this.slots = new Slots(ctx.config.DR_MAX_CONCURRENT_OPERATIONS);
  }

  isBusy(policyId: string): boolean {
    return this.busy.has(policyId);
  }

  /** Starts a backup (then its verification); resolves with the backup id once it is recorded. */
  async startBackup(policy: Policy, trigger: Trigger, type: BackupType = 'full'): Promise<string> {
    const lock = await this.lockPolicy(policy);
    const backupId = randomUUID();
    try {
      await this.recover(policy);
      await insertRunningBackup(this.ctx.pool, { id: backupId, tenantId: policy.tenantId, policyId: policy.id, trigger, backupType: policy.kind === 'physical' ? type : null });
    } catch (err) {
      await this.unlock(policy, lock);
      throw err;
    }
    this.track(policy, lock, async () => {
      const backup =
        policy.kind === 'physical' ? await runPhysicalBackup(this.ctx, policy, backupId, type, this.abort.signal) : await runBackup(this.ctx, policy, backupId, this.abort.signal);
      if (backup && !this.abort.signal.aborted) await this.verify(policy, backup, 'verification', 'after-backup');
      await evaluateRpo(this.ctx, policy);
    });
    return backupId;
  }

  /** Restores a completed backup (the latest when none is given) and checks it. */
  async startVerification(
    policy: Policy,
    kind: VerificationKind,
    trigger: Trigger,
    backupId?: string,
    opts: { targetTime?: Date } = {},
  ): Promise<{ verificationId: string; backupId: string }> {
    const backup = backupId ? await getBackup(this.ctx.pool, policy.tenantId, backupId) : await latestCompletedBackup(this.ctx.pool, policy.id);
    if (!backup) throw backupId ? backupNotFound(backupId) : noBackupForDrill(policy.id);
    if (backup.policyId !== policy.id) throw backupNotFound(backup.id);
    if (backup.status !== 'completed') throw backupNotRestorable(backup.id, backup.status);
    const lock = await this.lockPolicy(policy);
    const id = randomUUID();
    try {
      await this.recover(policy);
      await insertRunningVerification(this.ctx.pool, { id, tenantId: policy.tenantId, policyId: policy.id, backupId: backup.id, kind, trigger, scratchDb: scratchName(id) });
    } catch (err) {
      await this.unlock(policy, lock);
      throw err;
    }
    this.track(policy, lock, async () => {
      await this.runVerificationRow(policy, backup, id, kind, opts.targetTime);
      await evaluateRpo(this.ctx, policy);
    });
    return { verificationId: id, backupId: backup.id };
  }

  /** Waits for every running operation (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.active.size) await Promise.allSettled([...this.active]);
  }

  /** Aborts child tools; the runs record themselves as interrupted. */
  async close(): Promise<void> {
    this.abort.abort();
    await this.idle();
  }

  private async verify(policy: Policy, backup: Backup, kind: VerificationKind, trigger: 'after-backup' | Trigger): Promise<void> {
    const id = randomUUID();
    await insertRunningVerification(this.ctx.pool, { id, tenantId: policy.tenantId, policyId: policy.id, backupId: backup.id, kind, trigger, scratchDb: scratchName(id) });
    await this.runVerificationRow(policy, backup, id, kind);
  }

  private async runVerificationRow(policy: Policy, backup: Backup, id: string, kind: VerificationKind, targetTime?: Date): Promise<void> {
    const run = { id, kind, scratchDb: scratchName(id) };
    if (policy.kind === 'physical') await runPhysicalVerification(this.ctx, policy, backup, { ...run, targetTime }, this.abort.signal);
    else await runVerification(this.ctx, policy, backup, run, this.abort.signal);
  }

  private track(policy: Policy, lock: pg.Client, work: () => Promise<void>): void {
    this.busy.add(policy.id);
    const p = (async () => {
      await this.slots.acquire();
      try {
        await work();
      } catch (err) {
        this.ctx.log.error({ policyId: policy.id, err: (err as Error).message }, 'DR operation failed unexpectedly');
      } finally {
        this.slots.release();
        this.busy.delete(policy.id);
        await this.unlock(policy, lock);
      }
    })();
    this.active.add(p);
    void p.finally(() => this.active.delete(p));
  }

  private async lockPolicy(policy: Policy): Promise<pg.Client> {
    if (this.abort.signal.aborted) throw policyBusy(policy.id);
    const client = new pg.Client({ connectionString: this.ctx.config.DATABASE_URL, application_name: 'vigil-dr-policy-lock' });
    client.on('error', () => undefined);
    await client.connect();
    const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [`dr-policy:${policy.id}`]);
    if (!rows[0]?.ok) {
      await client.end().catch(() => undefined);
      throw policyBusy(policy.id);
    }
    return client;
  }

  private async unlock(policy: Policy, lock: pg.Client): Promise<void> {
    // Ending the session releases the advisory lock.
    await lock.end().catch((err: Error) => this.ctx.log.warn({ policyId: policy.id, err: err.message }, 'releasing the policy lock failed'));
  }

  /**
   * Under the policy lock nothing else runs for this policy, so whatever is still 'running'
   * belongs to a dead process: end its database sessions, remove its files and scratch
   * database, and record it as failed.
   */
  private async recover(policy: Policy): Promise<void> {
    const stale = await runningBackups(this.ctx.pool, policy.id);
    const staleVerifications = await runningVerifications(this.ctx.pool, policy.id);
    if (!stale.length && !staleVerifications.length) {
      if (policy.kind === 'logical') await removePartials(policy.repositoryPath, policy.id);
      return;
    }
    const source = sourceOf(this.ctx.config, policy);
    const admin = withDatabase(source.url, 'postgres');
    for (const b of stale) {
      await withClient(admin, 'vigil-dr-recovery', (c) => terminateSessions(c, backupAppName(b.id))).catch(() => 0);
    }
    const removed = policy.kind === 'logical' ? await removePartials(policy.repositoryPath, policy.id) : 0;
    for (const b of stale) {
      const message = 'interrupted: the orchestrator stopped during the backup; its partial files were removed and it was never marked good';
      await recordBackupFailure(this.ctx, policy, b.id, message, Date.now() - b.startedAt.getTime());
    }
    const scratchAdmin = withDatabase(this.ctx.config.DR_SCRATCH_URL || source.url, 'postgres');
    for (const v of staleVerifications) {
      // A physical restore leaves a scratch cluster (maybe still running, maybe a pgbackrest restore still writing).
      if (policy.kind === 'physical') {
        const dir = scratchClusterDir(this.ctx.config.DR_SCRATCH_CLUSTER_DIR, v.id);
        await removeScratchCluster({ pgBinDir: this.ctx.config.DR_PG_SERVER_BIN_DIR, osUser: this.ctx.config.DR_PG_OS_USER, dir }).catch((err: Error) =>
          this.ctx.log.warn({ verificationId: v.id, err: err.message }, 'removing a stale scratch cluster failed'),
        );
      } else await withClient(scratchAdmin, 'vigil-dr-recovery', async (c) => {
        await terminateSessions(c, restoreAppName(v.id));
        await dropDatabase(c, v.scratchDb);
      }).catch((err: Error) => this.ctx.log.warn({ verificationId: v.id, err: err.message }, 'cleaning a stale scratch database failed'));
      const backup = await getBackup(this.ctx.pool, policy.tenantId, v.backupId);
      if (backup)
        await finish(this.ctx, policy, backup, { id: v.id, kind: v.kind, scratchDb: v.scratchDb }, {
          checks: [{ name: 'execution', outcome: 'failed', detail: 'interrupted: the orchestrator stopped during the restore' }],
          error: 'interrupted: the orchestrator stopped during the restore',
          restoreMs: null,
          rtoSeconds: null,
        });
    }
    this.ctx.log.warn({ policyId: policy.id, backups: stale.length, verifications: staleVerifications.length, removed }, 'recovered from an interrupted run');
  }
}
