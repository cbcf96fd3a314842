// Proves a physical backup restores: `pgbackrest restore` into a scratch data folder on a free
// port, started with recovery_target_action=promote, then the logical path's checks. A
// verification restores to a restore point Vigil creates together with a consistent
// snapshot's facts (so row counts and checksums compare exactly) and measures the verified
// RPO from the newest heartbeat present; a drill restores to a moment between two heartbeats
// and proves the one before is present and the one after absent. The scratch cluster is
// removed whatever the outcome.
import type { Backup } from '../db/backups.js';
import type { Policy } from '../db/policies.js';
import { archiverState, heartbeats, restorePointWithFacts, walFileOf } from '../clients/physical-source.js';
import { describePgBackRest, runPgBackRest } from '../clients/pgbackrest.js';
import { makeScratchDir, freePort, removeScratchCluster, scratchClusterDir, startScratchCluster } from '../clients/scratch-cluster.js';
import { openSessions, withExternalPool } from '../clients/external-pool.js';
import { withClient } from '../clients/scratch.js';
import type { Check, SnapshotFacts } from '../domain/facts.js';
import { chooseDrillTarget, pitrBoundaryCheck } from '../domain/drill-target.js';
import { pgBackRestTime } from '../domain/physical-policy.js';
import type { Verification } from '../db/verifications.js';
import { restoreAppName, type OperationContext } from './context.js';
import { preparePhysical, type PhysicalSetup } from './physical-setup.js';
import { ProgressReporter } from './progress-reporter.js';
import { checkRestoredDatabase, finish, type VerificationRun } from './verification.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface PhysicalRun extends VerificationRun {
  /** Drill target chosen by the caller (tests, operators); default: a random moment in the window. */
  targetTime?: Date;
}

export async function runPhysicalVerification(ctx: OperationContext, policy: Policy, backup: Backup, run: PhysicalRun, signal: AbortSignal): Promise<Verification> {
  const started = Date.now();
  const progress = new ProgressReporter(ctx, { tenantId: policy.tenantId, policyId: policy.id, operationId: run.id, kind: run.kind });
  const checks: Check[] = [];
  let error: string | null = null;
  let restoreMs: number | null = null;
  let rtoSeconds: number | null = null;
  let verifiedRpoSeconds: number | null = null;
  const appName = restoreAppName(run.id);
  const dir = scratchClusterDir(ctx.config.DR_SCRATCH_CLUSTER_DIR, run.id);
  const cleanup = { pgBinDir: ctx.config.DR_PG_SERVER_BIN_DIR, osUser: ctx.config.DR_PG_OS_USER, dir };
  try {
    const s = await preparePhysical(ctx, policy);
    progress.report('verifying repository', 2);
    checks.push(await repositoryCheck(s, backup, signal));

    let targetArgs: string[];
    let facts: SnapshotFacts | null = null;
    let drill: { before: { id: number; at: Date }; after: { id: number; at: Date } | null; target: Date } | undefined;
    if (run.kind === 'verification') {
      progress.report('creating restore point', 5);
      const name = `vigil-${run.id}`;
      const rp = await withExternalPool(s.source.url, appName, 2, async (pool) => {
        await openSessions(pool, 2);
        return restorePointWithFacts(pool, name);
      });
      facts = rp.facts;
      await waitArchived(s, rp.lsn, policy.physical!.archiveStallSeconds, signal);
      targetArgs = ['--type=name', `--target=${name}`, `--set=${backup.path}`];
    } else {
      const beats = await withClient(s.source.url, appName, (c) => heartbeats(c, s.settings.heartbeatSchema, policy.id));
      const archivedAt = (await withClient(s.adminUrl, appName, (c) => archiverState(c))).lastArchivedAt;
      const from = new Date(backup.physical?.stoppedAt ?? backup.startedAt);
      const chosen = chooseDrillTarget(beats, from, archivedAt ?? new Date(0), run.targetTime);
      if (typeof chosen === 'string') throw new Error(`no drill target: ${chosen}`);
      drill = chosen;
      targetArgs = ['--type=time', `--target=${pgBackRestTime(chosen.target)}`];
    }

    progress.report('restoring', 10);
    await makeScratchDir(dir, ctx.config.DR_PG_OS_USER);
    const restoreStarted = Date.now();
    const restored = await runPgBackRest(
      s.runner,
      s.paths.config,
      s.settings.stanza,
      [`--pg1-path=${dir}`, '--archive-mode=off', '--target-action=promote', ...targetArgs, 'restore'],
      signal,
    );
    if (signal.aborted) throw new Error('interrupted: the orchestrator shut down during the restore');
    checks.push({ name: 'restore_errors', outcome: restored.ok ? 'passed' : 'failed', detail: restored.ok ? `pgbackrest restore ${targetArgs.join(' ')}` : describePgBackRest('restore', restored) });
    if (!restored.ok) throw new Error(describePgBackRest('restore', restored));

    progress.report('starting scratch cluster', 60);
    const cluster = await startScratchCluster({ pgBinDir: ctx.config.DR_PG_SERVER_BIN_DIR, osUser: ctx.config.DR_PG_OS_USER, dir, port: await freePort(), timeoutSeconds: 600 });
    await waitPromoted(cluster.url('postgres'), appName, signal);
    restoreMs = Date.now() - restoreStarted;
    const dbUrl = cluster.url(policy.database);
    const present = await withClient(dbUrl, appName, (c) => heartbeats(c, s.settings.heartbeatSchema, policy.id));
    if (drill) checks.push(pitrBoundaryCheck(drill, present));
    else {
      const newest = present.at(-1);
      verifiedRpoSeconds = newest ? Math.max(0, (restoreStarted - newest.at.getTime()) / 1000) : null;
      checks.push(
        newest
          ? { name: 'heartbeat', outcome: 'passed', detail: `newest heartbeat ${newest.at.toISOString()} present: verified RPO ${verifiedRpoSeconds!.toFixed(1)} s` }
          : { name: 'heartbeat', outcome: 'skipped', detail: 'no heartbeat in the restored copy yet; RPO not verified' },
      );
    }
    checks.push(...(await checkRestoredDatabase(dbUrl, appName, facts, policy.jobs, progress)));
    rtoSeconds = (Date.now() - restoreStarted) / 1000;
  } catch (err) {
    error = (err as Error).message;
    checks.push({ name: 'execution', outcome: 'failed', detail: error });
  } finally {
    await removeScratchCluster(cleanup).catch((err: Error) => ctx.log.warn({ dir, err: err.message }, 'removing the scratch cluster failed; the next run retries'));
  }
  await progress.flush();
  ctx.log.info({ policyId: policy.id, verificationId: run.id, tookMs: Date.now() - started }, 'physical restore check done');
  return finish(ctx, policy, backup, run, { checks, error, restoreMs, rtoSeconds, verifiedRpoSeconds });
}

/** `pgbackrest verify` of the backup set: repository file checksums (names the broken files). */
async function repositoryCheck(s: PhysicalSetup, backup: Backup, signal: AbortSignal): Promise<Check> {
  const r = await runPgBackRest(s.runner, s.paths.config, s.settings.stanza, [`--set=${backup.path}`, '--verbose', '--output=text', '--log-level-console=info', 'verify'], signal);
  const text = `${r.stdout}\n${r.stderr}`;
  const status = /^\s*status:\s*(\S+)/m.exec(r.stdout)?.[1];
  // WARN lines name the broken files (pg_data/… of the set, WAL segments); the summary counts them.
  const files = [...new Set([...text.matchAll(/(pg_data\/[^\s'",)]+|\b[0-9A-F]{24}(?:-[0-9a-f]{40})?(?:\.\w+)?)/g)].map((m) => m[1]!))];
  const counts = text
    .split('\n')
    .filter((l) => /(missing|checksum invalid|size invalid|other): [1-9]/.test(l))
    .map((l) => l.trim());
  if (r.ok && status === 'ok') return { name: 'repository', outcome: 'passed', detail: `pgbackrest verify: backup ${backup.path} and its WAL checksums valid` };
  const named = files.length ? `invalid: ${files.slice(0, 5).join(', ')}` : '';
  return { name: 'repository', outcome: 'failed', detail: `pgbackrest verify (status ${status ?? 'unknown'}): ${[named, ...counts.slice(0, 3)].filter(Boolean).join('; ') || describePgBackRest('verify', r)}` };
}

async function waitArchived(s: PhysicalSetup, lsn: string, timeoutSeconds: number, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  const wal = await withClient(s.adminUrl, 'vigil-dr-physical', (c) => walFileOf(c, lsn));
  while (!signal.aborted) {
    const last = await withClient(s.adminUrl, 'vigil-dr-physical', async (c) => (await c.query<{ w: string | null }>('SELECT last_archived_wal AS w FROM pg_stat_archiver')).rows[0]?.w ?? '');
    if (last && last.slice(0, 24) >= wal) return;
    if (Date.now() > deadline) throw new Error(`archiving stalled: WAL ${wal} holding the restore point was not archived within ${timeoutSeconds} s (last archived: ${last || 'none'})`);
    await sleep(500);
  }
}

async function waitPromoted(url: string, appName: string, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + 600_000;
  while (!signal.aborted && Date.now() < deadline) {
    const inRecovery = await withClient(url, appName, async (c) => (await c.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r')).rows[0]!.r).catch(() => true);
    if (!inRecovery) return;
    await sleep(250);
  }
  throw new Error('the restored cluster did not finish recovery and promote');
}
