// bench:dr — what a backup that is proven by a real restore costs, on a pgbench database of
// about 1 GB (scale 68), all in one run on this machine:
//   1. raw:       pg_dump -Fd -j N, then createdb + pg_restore -j N (no checks at all);
//   2. vigil:     dr-orchestrator backup (facts in the dump snapshot, SHA-256 manifest, fsync,
//                 atomic rename) + restore-verify (manifest re-hash, pg_restore -j N into a
//                 scratch database, schema diff, row counts, per-table checksums, amcheck, drop);
//   3. pgBackRest (Debian package): full backup + `verify` (checksums only, no restore) of a
//      throwaway cluster loaded with the same pgbench scale — pgBackRest needs archive_mode=on,
//      which needs a restart we must not do to the shared local cluster — plus a bare
//      `pgbackrest restore` + server start (the floor for restore-verify);
//   4. physical:  Vigil's physical policy on that cluster: pgBackRest full backup while pgbench
//      writes 100 tx/s, then restore-verify into a scratch cluster; verified RPO from the heartbeat.
// Same N jobs / process-max everywhere. Last line: one JSON object with the figures.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { buildApp } from '../services/dr-orchestrator/src/app.js';
import { loadServiceConfig } from '../services/dr-orchestrator/src/config.js';
import { deleteNamespaceTopics } from '@vigil/service-kit/testing';

const SCALE = Number(process.env.BENCH_DR_SCALE ?? 68);
const JOBS = Number(process.env.BENCH_DR_JOBS ?? 2);
const SERVER = process.env.BENCH_DR_SERVER ?? 'postgres://postgres@127.0.0.1:5432';
const SOURCE = 'vigil_bench_dr_source';
const SERVICE_DB = 'vigil_bench_dr_service';
const PG_BIN = '/usr/lib/postgresql/15/bin';
const PGBR_PORT = 5499;
const KEY = `vgl_benchdr01_${randomBytes(16).toString('hex').slice(0, 24)}`;

const log = (...a: unknown[]) => console.log(...a);
const secs = (ms: number) => Math.round(ms / 10) / 100;

async function sql<T extends pg.QueryResultRow>(db: string, text: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: `${SERVER}/${db}` });
  await c.connect();
  try {
    return (await c.query<T>(text, params)).rows;
  } finally {
    await c.end();
  }
}

function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; user?: string } = {}): string {
  const [bin, argv] = opts.user ? ['runuser', ['-u', opts.user, '--', cmd, ...args]] : [cmd, args];
  const r = spawnSync(bin, argv, { env: { ...process.env, ...opts.env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}): ${(r.stderr || r.stdout).trim().split('\n').slice(-5).join(' | ')}`);
  return r.stdout;
}

const timed = (f: () => void) => {
  const t = performance.now();
  f();
  return performance.now() - t;
};

async function ensureSource(): Promise<number> {
  const exists = await sql<{ n: number }>('postgres', 'SELECT count(*)::int AS n FROM pg_database WHERE datname = $1', [SOURCE]);
  let reuse = false;
  if (exists[0]!.n) {
    const scale = await sql<{ n: number }>(SOURCE, 'SELECT count(*)::int AS n FROM pgbench_branches').catch(() => [{ n: -1 }]);
    reuse = scale[0]!.n === SCALE;
  }
  if (!reuse) {
    await sql('postgres', `DROP DATABASE IF EXISTS ${SOURCE} WITH (FORCE)`);
    await sql('postgres', `CREATE DATABASE ${SOURCE}`);
    log(`[setup] pgbench -i -s ${SCALE} (server-side generation) …`);
    const ms = timed(() => run('pgbench', ['-i', '-q', '-s', String(SCALE), '-I', 'dtGvp', '-d', `${SERVER}/${SOURCE}`]));
    log(`[setup] loaded in ${secs(ms)} s`);
  } else log(`[setup] reusing ${SOURCE} at scale ${SCALE}`);
  const size = await sql<{ b: string }>(SOURCE, 'SELECT pg_database_size(current_database()) AS b');
  return Number(size[0]!.b);
}

async function rawDumpRestore() {
  const dir = await mkdtemp(path.join(tmpdir(), 'vigil-bench-raw-'));
  const scratch = `vigil_bench_dr_raw_${randomBytes(3).toString('hex')}`;
  try {
    const dumpMs = timed(() => run('pg_dump', ['-Fd', '-j', String(JOBS), '-f', path.join(dir, 'dump'), '-d', `${SERVER}/${SOURCE}`]));
    const sizeBytes = Number(execFileSync('du', ['-sb', path.join(dir, 'dump')], { encoding: 'utf8' }).split('\t')[0]);
    const t = performance.now();
    await sql('postgres', `CREATE DATABASE ${scratch} TEMPLATE template0`);
    run('pg_restore', ['-j', String(JOBS), '--no-owner', '--no-privileges', '-d', `${SERVER}/${scratch}`, path.join(dir, 'dump')]);
    const restoreMs = performance.now() - t;
    return { dumpSeconds: secs(dumpMs), restoreSeconds: secs(restoreMs), totalSeconds: secs(dumpMs + restoreMs), sizeBytes };
  } finally {
    await sql('postgres', `DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`);
    await rm(dir, { recursive: true, force: true });
  }
}

async function vigil() {
  const repo = await mkdtemp(path.join(tmpdir(), 'vigil-bench-repo-'));
  await sql('postgres', `DROP DATABASE IF EXISTS ${SERVICE_DB} WITH (FORCE)`);
  const app = await buildApp(
    loadServiceConfig({
      ...process.env,
      DATABASE_URL: `${SERVER}/${SERVICE_DB}`,
      KAFKA_NAMESPACE: `bench-dr-${randomBytes(3).toString('hex')}`,
      VIGIL_BOOTSTRAP_API_KEY: KEY,
      VIGIL_BOOTSTRAP_TENANT: 'bench',
      DR_SCHEDULER_ENABLED: 'false',
      LOG_LEVEL: 'warn',
      PORT: '0',
    }),
  );
  await app.ready();
  const namespace = app.infra.config.KAFKA_NAMESPACE;
  const headers = { authorization: `Bearer ${KEY}` };
  try {
    const policy = await app.inject({
      method: 'POST',
      url: '/v1/policies',
      headers,
      payload: { name: 'pgbench', sourceUrl: `${SERVER}/${SOURCE}`, schedule: '0 0 1 1 *', repositoryPath: repo, jobs: JOBS, rtoTargetSeconds: 3600 },
    });
    if (policy.statusCode !== 201) throw new Error(`policy: ${policy.body}`);
    const t = performance.now();
    const started = await app.inject({ method: 'POST', url: `/v1/policies/${policy.json().id}/backups`, headers });
    const id = started.json().id as string;
    let b: Record<string, unknown>;
    for (;;) {
      b = (await app.inject({ url: `/v1/backups/${id}`, headers })).json();
      if (b.status === 'failed' || b.verificationStatus !== 'pending') break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const totalMs = performance.now() - t;
    await app.dr.runner.idle();
    const v = (await app.inject({ url: `/v1/policies/${policy.json().id}/verifications`, headers })).json().items[0] ?? {};
    if (b.status !== 'completed' || v.status !== 'passed') throw new Error(`vigil backup ${String(b.status)} / verification ${String(v.status)}: ${String(b.error ?? v.error ?? JSON.stringify(v.checks))}`);
    return {
      backupSeconds: secs(b.durationMs as number),
      verifySeconds: secs((v.rtoSeconds as number) * 1000),
      restoreSeconds: secs(v.restoreMs as number),
      totalSeconds: secs(totalMs),
      sizeBytes: b.sizeBytes as number,
      checks: (v.checks as { name: string; outcome: string }[]).map((c) => `${c.name}:${c.outcome}`).join(','),
    };
  } finally {
    await app.close();
    // Leave no topics behind on the shared broker.
    await deleteNamespaceTopics(namespace);
    await rm(repo, { recursive: true, force: true });
    await sql('postgres', `DROP DATABASE IF EXISTS ${SERVICE_DB} WITH (FORCE)`);
  }
}

// BENCH_DR_PARTS=raw,vigil,pgbackrest,physical (default: all) runs a subset, e.g. while debugging one.
const PARTS = new Set((process.env.BENCH_DR_PARTS ?? 'raw,vigil,pgbackrest,physical').split(','));

/**
 * Vigil's physical path on the same throwaway cluster: a physical policy (its own stanza and
 * repository; Vigil points archive_command at it), a full backup taken while pgbench writes
 * 100 tx/s, then the verification restore (restore point with a consistent snapshot,
 * pgbackrest restore into a scratch cluster, promote, heartbeat, row counts, checksums,
 * amcheck, removal). The verified RPO is read from the heartbeat found in the restored copy.
 */
async function vigilPhysical(root: string, data: string) {
  await sql('postgres', `DROP DATABASE IF EXISTS ${SERVICE_DB} WITH (FORCE)`);
  const work = path.join(root, 'vigil');
  const app = await buildApp(
    loadServiceConfig({
      ...process.env,
      DATABASE_URL: `${SERVER}/${SERVICE_DB}`,
      KAFKA_NAMESPACE: `bench-drp-${randomBytes(3).toString('hex')}`,
      VIGIL_BOOTSTRAP_API_KEY: KEY,
      VIGIL_BOOTSTRAP_TENANT: 'bench',
      DR_SCHEDULER_ENABLED: 'true',
      DR_SCHEDULER_TICK_MS: '3600000',
      DR_HEARTBEAT_TICK_MS: '500',
      DR_PGBACKREST_DIR: path.join(work, 'pgbackrest'),
      DR_SCRATCH_CLUSTER_DIR: path.join(work, 'scratch'),
      LOG_LEVEL: 'warn',
      PORT: '0',
    }),
  );
  await app.ready();
  const namespace = app.infra.config.KAFKA_NAMESPACE;
  const headers = { authorization: `Bearer ${KEY}` };
  const load = spawn('pgbench', ['-R', '100', '-T', '3600', '-c', '2', '-j', '1', '-n', '-h', root, '-p', String(PGBR_PORT), '-U', 'postgres', 'postgres'], { stdio: 'ignore' });
  try {
    const policy = await app.inject({
      method: 'POST',
      url: '/v1/policies',
      headers,
      payload: {
        name: 'pgbench-physical',
        kind: 'physical',
        sourceUrl: `postgres://postgres@127.0.0.1:${PGBR_PORT}/postgres`,
        schedule: '0 0 1 1 *',
        repositoryPath: path.join(work, 'repo'),
        jobs: JOBS,
        physical: { pgDataPath: data, pgSocketPath: root, heartbeatSeconds: 1, archiveStallSeconds: 600 },
      },
    });
    if (policy.statusCode !== 201) throw new Error(`physical policy: ${policy.body}`);
    const policyId = policy.json().id as string;
    const t = performance.now();
    const started = await app.inject({ method: 'POST', url: `/v1/policies/${policyId}/backups?type=full`, headers });
    if (started.statusCode !== 202) throw new Error(`physical backup: ${started.body}`);
    await app.dr.runner.idle();
    const totalMs = performance.now() - t;
    const b = (await app.inject({ url: `/v1/backups/${started.json().id}`, headers })).json();
    const v = (await app.inject({ url: `/v1/policies/${policyId}/verifications`, headers })).json().items[0] ?? {};
    if (b.status !== 'completed' || v.status !== 'passed') throw new Error(`physical backup ${String(b.status)} / verification ${String(v.status)}: ${String(b.error ?? v.error ?? JSON.stringify(v.checks))}`);
    return {
      backupSeconds: secs(b.durationMs as number),
      restoreSeconds: secs(v.restoreMs as number),
      rtoSeconds: secs((v.rtoSeconds as number) * 1000),
      verifiedRpoSeconds: v.verifiedRpoSeconds as number,
      totalSeconds: secs(totalMs),
      repoBytes: b.sizeBytes as number,
      checks: (v.checks as { name: string; outcome: string }[]).map((c) => `${c.name}:${c.outcome}`).join(','),
    };
  } finally {
    load.kill('SIGTERM');
    await app.close();
    await deleteNamespaceTopics(namespace);
    await sql('postgres', `DROP DATABASE IF EXISTS ${SERVICE_DB} WITH (FORCE)`);
  }
}

async function pgBackRest() {
  execFileSync('bash', [path.join(import.meta.dirname, '..', 'scripts', 'system-deps.sh'), 'pgbackrest'], { stdio: ['ignore', 'inherit', 'inherit'] });
  const version = run('pgbackrest', ['version']).trim();
  const root = '/tmp/vigil-bench-pgbackrest';
  const conf = path.join(root, 'pgbackrest.conf');
  const data = path.join(root, 'data');
  const pgctl = (...a: string[]) => run(path.join(PG_BIN, 'pg_ctl'), ['-D', data, ...a], { user: 'postgres' });
  rmSync(root, { recursive: true, force: true });
  for (const d of [root, path.join(root, 'repo'), path.join(root, 'log'), path.join(root, 'lock'), path.join(root, 'spool')]) mkdirSync(d, { recursive: true });
  const uid = Number(run('id', ['-u', 'postgres']).trim());
  const gid = Number(run('id', ['-g', 'postgres']).trim());
  writeFileSync(
    conf,
    [
      '[global]',
      `repo1-path=${root}/repo`,
      'repo1-retention-full=1',
      `log-path=${root}/log`,
      `lock-path=${root}/lock`,
      `spool-path=${root}/spool`,
      `process-max=${JOBS}`,
      'start-fast=y',
      'log-level-console=warn',
      'archive-timeout=300',
      '',
      '[bench]',
      `pg1-path=${data}`,
      `pg1-port=${PGBR_PORT}`,
      `pg1-socket-path=${root}`,
      '',
    ].join('\n'),
  );
  for (const d of ['', 'repo', 'log', 'lock', 'spool', 'pgbackrest.conf']) chownSync(path.join(root, d), uid, gid);
  const br = (...a: string[]) => run('pgbackrest', [`--config=${conf}`, '--stanza=bench', ...a], { user: 'postgres' });
  try {
    run(path.join(PG_BIN, 'initdb'), ['-D', data, '--auth=trust', '-U', 'postgres', '--no-sync'], { user: 'postgres' });
    const autoConf = path.join(data, 'postgresql.auto.conf');
    const settings = [`port = ${PGBR_PORT}`, "listen_addresses = '127.0.0.1'", `unix_socket_directories = '${root}'`, 'wal_level = replica', 'max_wal_size = 4GB'];
    writeFileSync(autoConf, settings.join('\n') + '\n');
    chownSync(autoConf, uid, gid);
    pgctl('start', '-w', '-l', path.join(root, 'log', 'postgres.log'));
    // Load first, archive after: archiving the load's ~1 GB of WAL is not what is measured.
    log(`[pgbackrest] loading pgbench scale ${SCALE} into a throwaway cluster on port ${PGBR_PORT} …`);
    run('pgbench', ['-i', '-q', '-s', String(SCALE), '-I', 'dtGvp', '-h', root, '-p', String(PGBR_PORT), '-U', 'postgres', 'postgres']);
    writeFileSync(autoConf, [...settings, 'archive_mode = on', `archive_command = 'pgbackrest --config=${conf} --stanza=bench archive-push %p'`].join('\n') + '\n');
    pgctl('restart', '-w', '-m', 'fast', '-l', path.join(root, 'log', 'postgres.log'));
    br('stanza-create');
    br('check');
    const backupMs = timed(() => br('--type=full', 'backup'));
    const verifyMs = timed(() => br('verify'));
    const info = JSON.parse(br('--output=json', 'info')) as { backup: { info: { size: number; repository: { size: number } } }[] }[];
    const last = info[0]!.backup.at(-1)!;
    // The floor for Vigil's restore-verify: a bare `pgbackrest restore` (latest) plus server start until promoted.
    const bare = path.join(root, 'bare');
    mkdirSync(bare, { mode: 0o700 });
    chownSync(bare, uid, gid);
    const bareMs = timed(() => {
      br(`--pg1-path=${bare}`, '--archive-mode=off', 'restore');
      run(path.join(PG_BIN, 'pg_ctl'), ['-D', bare, '-o', `-p ${PGBR_PORT + 1} -k ${root} -c listen_addresses=''`, '-w', '-t', '600', '-l', path.join(root, 'log', 'bare.log'), 'start'], { user: 'postgres' });
      for (;;) {
        const r = spawnSync('psql', ['-h', root, '-p', String(PGBR_PORT + 1), '-U', 'postgres', '-Atc', 'SELECT pg_is_in_recovery()'], { encoding: 'utf8' });
        if (r.stdout.trim() === 'f') break;
        spawnSync('sleep', ['0.2']);
      }
    });
    run(path.join(PG_BIN, 'pg_ctl'), ['-D', bare, '-m', 'immediate', 'stop'], { user: 'postgres' });
    rmSync(bare, { recursive: true, force: true });
    const physical = PARTS.has('physical') ? await vigilPhysical(root, data) : undefined;
    return {
      version,
      backupSeconds: secs(backupMs),
      verifySeconds: secs(verifyMs),
      totalSeconds: secs(backupMs + verifyMs),
      clusterBytes: last.info.size,
      repoBytes: last.info.repository.size,
      bareRestoreSeconds: secs(bareMs),
      physical,
    };
  } finally {
    try {
      pgctl('stop', '-m', 'fast', '-w');
    } catch {
      /* not started */
    }
    rmSync(root, { recursive: true, force: true });
  }
}

const sourceBytes = PARTS.has('raw') || PARTS.has('vigil') ? await ensureSource() : 0;
log(`[setup] ${SOURCE}: ${(sourceBytes / 1e9).toFixed(2)} GB, jobs=${JOBS}`);
const raw = PARTS.has('raw') ? await rawDumpRestore() : undefined;
if (raw) log(`[raw]   pg_dump ${raw.dumpSeconds} s + createdb/pg_restore ${raw.restoreSeconds} s = ${raw.totalSeconds} s (dump ${(raw.sizeBytes / 1e6).toFixed(0)} MB)`);
const v = PARTS.has('vigil') ? await vigil() : undefined;
if (v)
  log(`[vigil] backup ${v.backupSeconds} s + restore-verify ${v.verifySeconds} s (pg_restore ${v.restoreSeconds} s) = ${v.totalSeconds} s end to end incl. scratch drop (${(v.sizeBytes / 1e6).toFixed(0)} MB) [${v.checks}]`);
const ratio = raw && v ? Math.round((v.totalSeconds / raw.totalSeconds) * 100) / 100 : null;
if (ratio !== null) log(`[ratio] vigil / raw = ${ratio} (goal <= 1.3) ${ratio <= 1.3 ? 'MET' : 'MISSED'}`);
let pgbr: Awaited<ReturnType<typeof pgBackRest>> | { error: string } | undefined;
if (PARTS.has('pgbackrest') || PARTS.has('physical')) {
  try {
    pgbr = await pgBackRest();
    log(`[pgbackrest] ${pgbr.version}: full backup ${pgbr.backupSeconds} s + verify ${pgbr.verifySeconds} s = ${pgbr.totalSeconds} s (cluster ${(pgbr.clusterBytes / 1e9).toFixed(2)} GB, repo ${(pgbr.repoBytes / 1e6).toFixed(0)} MB; verify re-checks checksums, restores nothing); bare restore + start ${pgbr.bareRestoreSeconds} s`);
    const ph = pgbr.physical;
    if (ph) {
      const r = Math.round((ph.rtoSeconds / pgbr.bareRestoreSeconds) * 100) / 100;
      log(`[physical] vigil backup ${ph.backupSeconds} s (under pgbench -R 100) + restore-verify ${ph.rtoSeconds} s (restore + start ${ph.restoreSeconds} s) = ${ph.totalSeconds} s end to end; repo ${(ph.repoBytes / 1e6).toFixed(0)} MB [${ph.checks}]`);
      log(`[physical] verified RPO ${ph.verifiedRpoSeconds?.toFixed(1)} s (goal <= 60) ${ph.verifiedRpoSeconds <= 60 ? 'MET' : 'MISSED'}; RTO ${ph.rtoSeconds} s`);
      log(`[physical] restore-verify / bare pgbackrest restore + start = ${r} (goal <= 1.5) ${r <= 1.5 ? 'MET' : 'MISSED'}`);
    }
  } catch (err) {
    pgbr = { error: (err as Error).message };
    log(`[pgbackrest] could not run: ${pgbr.error}`);
  }
}
console.log(JSON.stringify({ bench: 'dr', scale: SCALE, jobs: JOBS, sourceBytes, raw: raw ?? null, vigil: v ?? null, ratio, pgbackrest: pgbr ?? null }));
process.exit(0);
