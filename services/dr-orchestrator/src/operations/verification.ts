// Proves a backup restores: manifest re-hash, pg_restore -j into a scratch database, schema
// fingerprint diff, row counts and checksums against the dump-snapshot facts, amcheck on
// btree indexes; the scratch database is always dropped. Used after backups and by drills.
import path from 'node:path';
import pg from 'pg';
import { RecoveryObjectiveBreached, VerificationFinished, OperationProgressed } from '@vigil/events';
import { withTransaction } from '@vigil/service-kit';
import { setVerificationStatus, type Backup } from '../db/backups.js';
import { hasOpenBreach, openBreach, resolveBreach } from '../db/breaches.js';
import type { Policy } from '../db/policies.js';
import { btreeIndexes, checkBtree, createDatabase, dropDatabase, enableAmcheck, withClient } from '../clients/scratch.js';
import { openSessions, SNAPSHOT_READ, withExternalPool } from '../clients/external-pool.js';
import { addChecksums, applyFactSettings, schemaFingerprint, tableBlocks, tableContent, type BlockRange } from '../clients/source-facts.js';
import { finishVerification, type Verification, type VerificationKind } from '../db/verifications.js';
import { blockRanges, overall, schemaDiffCheck, tableChecks, type Check, type SnapshotFacts, type TableFact } from '../domain/facts.js';
import { breachTransition, rtoState } from '../domain/objectives.js';
import { countListEntries, RestoreProgress } from '../domain/progress.js';
import { libpqEnv, parseSourceUrl, withDatabase } from '../domain/source-url.js';
import { pgRestore, pgRestoreList } from '../clients/pg-restore.js';
import { verifyFiles } from '../clients/backup-files.js';
import { restoreAppName, runbookUrl, sourceOf, type OperationContext } from './context.js';
import { ProgressReporter } from './progress-reporter.js';

export interface VerificationRun {
  id: string;
  kind: VerificationKind;
  scratchDb: string;
}

/** Runs the tasks with at most `n` in flight. */
async function inParallel<T>(n: number, items: T[], task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) await task(items[next++]!);
    }),
  );
}

/** One check in its own transaction with the fact settings: a failed statement spoils no other check. */
const inCheckTransaction = <T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>) =>
  withTransaction(pool, async (c) => {
    await applyFactSettings(c);
    return fn(c);
  });

export async function runVerification(ctx: OperationContext, policy: Policy, backup: Backup, run: VerificationRun, signal: AbortSignal): Promise<Verification> {
  const started = Date.now();
  const progress = new ProgressReporter(ctx, { tenantId: policy.tenantId, policyId: policy.id, operationId: run.id, kind: run.kind });
  const checks: Check[] = [];
  let error: string | null = null;
  let restoreMs: number | null = null;
  let rtoSeconds: number | null = null;
  const source = sourceOf(ctx.config, policy);
  const scratchServer = ctx.config.DR_SCRATCH_URL || source.url;
  const adminUrl = withDatabase(scratchServer, 'postgres');
  const scratchUrl = withDatabase(scratchServer, run.scratchDb);
  const appName = restoreAppName(run.id);
  let created = false;
  try {
    if (!backup.path || !backup.facts) throw new Error(`backup ${backup.id} has no files or facts to verify against`);
    progress.report('checking files', 0);
    checks.push(await verifyFiles(backup.path, backup.manifestSha256));
    progress.report('restoring', 5);

    await withClient(adminUrl, appName, (c) => createDatabase(c, run.scratchDb));
    created = true;
    const dumpDir = path.join(backup.path, 'dump');
    const scratchParts = parseSourceUrl(scratchUrl);
    if (typeof scratchParts === 'string') throw new Error(`scratch server URL is unusable: ${scratchParts}`);
    const env = { ...ctx.config.toolEnv, ...libpqEnv(scratchParts, appName) };
    const listing = await pgRestoreList(ctx.config.DR_PG_BIN_DIR, env, dumpDir);
    const restoreProgress = new RestoreProgress(countListEntries(listing));
    const restoreStarted = Date.now();
    const restored = await pgRestore({
      binDir: ctx.config.DR_PG_BIN_DIR,
      env,
      dir: dumpDir,
      database: run.scratchDb,
      jobs: policy.jobs,
      signal,
      onLine: (l) => {
        const pct = restoreProgress.line(l);
        if (pct !== undefined) progress.report('restoring', 5 + pct * 0.75);
      },
    });
    restoreMs = Date.now() - restoreStarted;
    checks.push({ name: 'restore_errors', outcome: restored.ok ? 'passed' : 'failed', detail: restored.detail });
    if (signal.aborted) throw new Error('interrupted: the orchestrator shut down during the restore');

    checks.push(...(await checkRestoredDatabase(scratchUrl, appName, backup.facts, policy.jobs, progress)));
    rtoSeconds = (Date.now() - started) / 1000;
  } catch (err) {
    error = (err as Error).message;
    checks.push({ name: 'execution', outcome: 'failed', detail: error });
  } finally {
    if (created) {
      await withClient(adminUrl, appName, (c) => dropDatabase(c, run.scratchDb)).catch((err: Error) =>
        ctx.log.warn({ scratch: run.scratchDb, err: err.message }, 'dropping the scratch database failed; the next run retries'),
      );
    }
  }
  await progress.flush();
  return finish(ctx, policy, backup, run, { checks, error, restoreMs, rtoSeconds });
}

/**
 * The checks of a restored database against the facts of a consistent snapshot: schema
 * fingerprint, row counts and per-table checksums, amcheck on every btree index. Shared by the
 * logical and the physical path (a physical drill to a past moment has no snapshot facts:
 * its table checks read 'skipped', never 'passed').
 */
export async function checkRestoredDatabase(scratchUrl: string, appName: string, facts: SnapshotFacts | null, jobs: number, progress: ProgressReporter): Promise<Check[]> {
  const checks: Check[] = [];
  progress.report('comparing schema', 80);
  if (!facts) checks.push({ name: 'schema_diff', outcome: 'skipped', detail: 'no snapshot of the source at this target to compare with' });
  const fp = !facts ? undefined : await withExternalPool(scratchUrl, appName, 1, (scratch) =>
    withTransaction(
      scratch,
      async (c) => {
        await applyFactSettings(c);
        return schemaFingerprint(c);
      },
      SNAPSHOT_READ,
    ),
  );
  if (facts && fp) checks.push(schemaDiffCheck(facts.schemaLines, fp.lines));

  progress.report('checking rows and indexes', 85);
  const actual: TableFact[] = [];
  const amcheckFailures: string[] = [];
  let indexes: string[] = [];
  let amcheckSchema = 'public';
  let blocks = new Map<string, number>();
  await withClient(scratchUrl, appName, async (c) => {
    amcheckSchema = await enableAmcheck(c);
    indexes = await btreeIndexes(c);
    blocks = await tableBlocks(c, facts?.tables ?? []);
  });
  // Table checksums and index checks are independent: spread them over `jobs` sessions. A large table
  // is checked in block ranges, so one table does not keep one session busy while the others idle.
  type Task = { kind: 'table'; t: TableFact; range?: BlockRange } | { kind: 'index'; name: string };
  const tableTasks = (facts?.tables ?? []).flatMap((t): Task[] =>
    blockRanges(blocks.get(`${t.schema}.${t.name}`) ?? 0, jobs).map((range) => ({ kind: 'table', t, range })),
  );
  const tasks: Task[] = [...tableTasks, ...indexes.map((name) => ({ kind: 'index' as const, name }))];
  const sessions = Math.max(1, Math.min(jobs, tasks.length));
  const parts = new Map<string, { t: TableFact; rows: number; sums: string[]; failed: boolean; left: number }>();
  for (const task of tableTasks) {
    if (task.kind !== 'table') continue;
    const key = `${task.t.schema}.${task.t.name}`;
    const p = parts.get(key) ?? { t: task.t, rows: 0, sums: [], failed: false, left: 0 };
    p.left++;
    parts.set(key, p);
  }
  let done = 0;
  await withExternalPool(scratchUrl, appName, sessions, async (scratch) => {
    await openSessions(scratch, sessions);
    await inParallel(sessions, tasks, async (task) => {
      if (task.kind === 'table') {
        const p = parts.get(`${task.t.schema}.${task.t.name}`)!;
        // A table missing from the restore fails its query and shows up in the row-count check.
        const content = await inCheckTransaction(scratch, (c) => tableContent(c, task.t.schema, task.t.name, task.t.method ?? 'text', task.range)).catch(() => undefined);
        if (content) {
          p.rows += content.rows;
          p.sums.push(content.checksum);
        } else p.failed = true;
        if (--p.left === 0 && !p.failed) actual.push({ ...p.t, rows: p.rows, checksum: addChecksums(p.sums) });
      } else {
        const problem = await inCheckTransaction(scratch, (c) => checkBtree(c, amcheckSchema, task.name));
        if (problem) amcheckFailures.push(`${task.name}: ${problem}`);
      }
      done++;
      progress.report('checking rows and indexes', 85 + (done / tasks.length) * 14);
    });
  });
  if (facts) checks.push(...tableChecks(facts.tables, actual));
  else
    checks.push(
      { name: 'row_counts', outcome: 'skipped', detail: 'no snapshot of the source at this target to compare with' },
      { name: 'table_checksums', outcome: 'skipped', detail: 'no snapshot of the source at this target to compare with' },
    );
  checks.push(amcheckCheck(indexes.length, amcheckFailures));
  return checks;
}

export const amcheckCheck = (indexes: number, failures: string[]): Check =>
  failures.length
    ? { name: 'amcheck', outcome: 'failed', detail: failures.slice(0, 5).join('; ') }
    : indexes
      ? { name: 'amcheck', outcome: 'passed', detail: `bt_index_check passed on ${indexes} btree indexes` }
      : { name: 'amcheck', outcome: 'skipped', detail: 'no btree indexes to check' };

export async function finish(
  ctx: OperationContext,
  policy: Policy,
  backup: Backup,
  run: VerificationRun,
  r: { checks: Check[]; error: string | null; restoreMs: number | null; rtoSeconds: number | null; verifiedRpoSeconds?: number | null },
): Promise<Verification> {
  const status = r.error ? 'failed' : overall(r.checks);
  const now = new Date().toISOString();
  const tenant = { tenantId: policy.tenantId };
  const v = await withTransaction(ctx.pool, async (tx) => {
    const v = await finishVerification(tx, run.id, { status, checks: r.checks, restoreMs: r.restoreMs, rtoSeconds: status === 'passed' ? r.rtoSeconds : null, error: r.error, verifiedRpoSeconds: r.verifiedRpoSeconds ?? null });
    // An interrupted run says nothing about the backup itself.
    if (!r.error?.startsWith('interrupted')) await setVerificationStatus(tx, backup.id, status);
    await ctx.outbox.enqueue(
      tx,
      VerificationFinished,
      {
        policyId: policy.id,
        backupId: backup.id,
        verificationId: run.id,
        kind: run.kind,
        database: policy.database,
        outcome: status,
        // The catalog's check outcomes are passed | failed; skipped checks stay in the API.
        checks: r.checks.flatMap((c) => (c.outcome === 'skipped' ? [] : [{ ...c, outcome: c.outcome }])),
        rtoSeconds: r.rtoSeconds ?? (Date.now() - v.startedAt.getTime()) / 1000,
        finishedAt: now,
        ...(status === 'failed' ? { runbookUrl: runbookUrl(ctx.config, policy.kind === 'physical' ? 'restore-failed' : 'verification-failure') } : {}),
      },
      tenant,
    );
    await ctx.outbox.enqueue(tx, OperationProgressed, { policyId: policy.id, operationId: run.id, kind: run.kind, phase: status, percent: 100, at: now }, tenant);
    if (status === 'passed' && r.rtoSeconds !== null) {
      const state = rtoState(policy.rtoTargetSeconds, r.rtoSeconds);
      const transition = breachTransition(state, await hasOpenBreach(tx, policy.id, 'rto'));
      if (transition === 'open' && (await openBreach(tx, { ...tenant, policyId: policy.id, objective: 'rto', targetSeconds: state.targetSeconds, actualSeconds: r.rtoSeconds }))) {
        await ctx.outbox.enqueue(
          tx,
          RecoveryObjectiveBreached,
          { policyId: policy.id, database: policy.database, objective: 'rto', targetSeconds: state.targetSeconds, actualSeconds: r.rtoSeconds, detectedAt: now, runbookUrl: runbookUrl(ctx.config, 'rto-breach') },
          tenant,
        );
      } else if (transition === 'resolve') await resolveBreach(tx, policy.id, 'rto');
    }
    return v;
  });
  ctx.log.info({ policyId: policy.id, backupId: backup.id, verificationId: run.id, kind: run.kind, status, rtoSeconds: r.rtoSeconds }, 'verification finished');
  return v;
}
