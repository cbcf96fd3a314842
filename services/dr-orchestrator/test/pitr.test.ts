// Physical policies against a real throwaway PostgreSQL 15 cluster archiving WAL into a local
// pgBackRest repository: full backup + verification restore, PITR to a moment between two
// writes, full + incremental restored together, broken archiving raising a breach, a corrupted
// repository file failing verification (named), all observed on Kafka.
import { spawn } from 'node:child_process';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { deleteNamespaceTopics, eventually, serviceTest } from '@vigil/service-kit/testing';
import { buildApp } from '../src/app.js';
import { loadServiceConfig } from '../src/config.js';
import { runPgBackRest, stanzaInfo, policyPaths } from '../src/clients/pgbackrest.js';
import { freePort, makeScratchDir, removeScratchCluster, startScratchCluster } from '../src/clients/scratch-cluster.js';
import { pgBackRestTime } from '../src/domain/physical-policy.js';
import { observeDrEvents } from './fixtures.js';
import { PG_BIN, startPhysicalCluster, type PhysicalCluster } from './physical-cluster.js';

const PORT = 25_431;
const WORK = `/tmp/vigil-dr-pitr-${PORT}`;
const ENV = {
  DR_SCHEDULER_TICK_MS: '1000',
  DR_HEARTBEAT_TICK_MS: '300',
  DR_PGBACKREST_DIR: `${WORK}/pgbackrest`,
  DR_SCRATCH_CLUSTER_DIR: `${WORK}/scratch`,
  DR_PG_OS_USER: 'postgres',
};
const test = serviceTest({ label: 'drpitr', env: ENV, build: (env) => buildApp(loadServiceConfig(env)) });

let cluster: PhysicalCluster;
let observer: Awaited<ReturnType<typeof observeDrEvents>> | undefined;
const SRC = 'vigil_src';
const NEVER = '0 0 1 1 *';
const SERVICE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHILD_KEY = 'vgl_pitrcrash01_abcdefghijklmnopqrstuvwx';
const exists = (p: string) => stat(p).then(() => true, () => false);

beforeAll(async () => {
  cluster = await startPhysicalCluster(PORT);
  await cluster.sql('postgres', `CREATE DATABASE ${SRC}`);
  await cluster.sql(
    SRC,
    `CREATE TABLE writes (id integer PRIMARY KEY, note text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp());
     CREATE TABLE accounts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text UNIQUE, balance numeric(12,2));
     INSERT INTO accounts (email, balance) SELECT 'u' || g || '@example.com', g * 1.5 FROM generate_series(1, 3000) g;`,
  );
}, 120_000);

afterAll(async () => {
  await observer?.stop();
  await cluster?.stop();
});

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function waitFinished(app: { inject: (o: object) => Promise<{ json(): Json }> }, headers: object, url: string, timeout = 120_000): Promise<Json> {
  return eventually(async () => {
    const r = (await app.inject({ url, headers })).json();
    return r.status && r.status !== 'running' ? r : undefined;
  }, timeout, 300);
}

/** Waits until the source archived the WAL segment now being written (archive_timeout is 2 s). */
async function archivedNow(): Promise<void> {
  const w = (await cluster.sql<{ w: string }>('postgres', 'SELECT pg_walfile_name(pg_current_wal_lsn()) AS w'))[0]!.w;
  await eventually(async () => {
    const [r] = await cluster.sql<{ last: string | null }>('postgres', 'SELECT last_archived_wal AS last FROM pg_stat_archiver');
    return !!r?.last && r.last.slice(0, 24) >= w;
  }, 60_000, 300);
}

describe('physical policies (pgBackRest + WAL archiving)', { timeout: 300_000 }, () => {
  let policyId: string;
  let fullBackupId: string;

  test('rejects an unknown kind and a physical policy without its data path, naming the field', { timeout: 240_000 }, async ({ app, kit }) => {
    const headers = await kit.auth('acme', 'admin');
    const base = { sourceUrl: cluster.url(SRC), schedule: NEVER, repositoryPath: `${WORK}/repo` };
    const bad = await app.inject({ method: 'POST', url: '/v1/policies', headers, payload: { ...base, kind: 'snapshot' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/kind/);
    const noPath = await app.inject({ method: 'POST', url: '/v1/policies', headers, payload: { ...base, kind: 'physical' } });
    expect(noPath.statusCode).toBe(400);
    expect(noPath.json().detail).toMatch(/physical\.pgDataPath/);
    const logical = await app.inject({ method: 'POST', url: '/v1/policies', headers, payload: base });
    expect(logical.json().kind).toBe('logical');
  });

  test('full backup, verified by a restore to a restore point: checks pass, verified RPO from the heartbeat', { timeout: 240_000 }, async ({ app, kit }) => {
    observer = await observeDrEvents(kit.env.KAFKA_BROKERS!, kit.namespace);
    const headers = await kit.auth('acme', 'admin');
    const created = await app.inject({
      method: 'POST',
      url: '/v1/policies',
      headers,
      payload: {
        kind: 'physical',
        sourceUrl: cluster.url(SRC),
        schedule: NEVER,
        repositoryPath: `${WORK}/repo`,
        physical: { pgDataPath: cluster.dir, pgSocketPath: cluster.dir, heartbeatSeconds: 1, archiveStallSeconds: 30, retentionFull: 2 },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    policyId = created.json().id;
    expect(created.json().physical).toMatchObject({ encryption: true, heartbeatSchema: 'vigil_dr', stanza: `vigil-${policyId.slice(0, 8)}` });
    const conf = await readFile(path.join(ENV.DR_PGBACKREST_DIR, policyId, 'pgbackrest.conf'), 'utf8').catch(() => '');
    expect(conf).toBe(''); // generated at the first operation, not before

    const started = await app.inject({ method: 'POST', url: `/v1/policies/${policyId}/backups?type=full`, headers });
    expect(started.statusCode, started.body).toBe(202);
    fullBackupId = started.json().id;
    const backup = await waitFinished(app, headers, `/v1/backups/${fullBackupId}`);
    expect(backup, JSON.stringify(backup)).toMatchObject({ status: 'completed', backupType: 'full' });
    expect(backup.physical.label).toMatch(/F$/);

    const generated = await readFile(path.join(ENV.DR_PGBACKREST_DIR, policyId, 'pgbackrest.conf'), 'utf8');
    expect(generated).toMatch(/^# Generated by Vigil/);
    expect(generated).toMatch(/repo1-cipher-type=aes-256-cbc/);
    const archive_command = (await cluster.sql<{ archive_command: string }>('postgres', 'SHOW archive_command'))[0]!.archive_command;
    expect(archive_command).toMatch(/pgbackrest --config=.* --stanza=vigil-.* archive-push %p/);

    const v = await eventually(async () => {
      const list = (await app.inject({ url: `/v1/policies/${policyId}/verifications`, headers })).json().items as Json[];
      return list.find((x) => x.backupId === fullBackupId && x.status !== 'running');
    }, 180_000, 500);
    const byName = Object.fromEntries((v.checks as Json[]).map((c) => [c.name, c]));
    expect(v.status, JSON.stringify(v.checks)).toBe('passed');
    for (const name of ['repository', 'restore_errors', 'schema_diff', 'row_counts', 'table_checksums', 'amcheck']) expect(byName[name]?.outcome, name).toBe('passed');
    expect(byName.heartbeat.outcome).toBe('passed');
    expect(v.verifiedRpoSeconds).toBeGreaterThanOrEqual(0);
    expect(v.rtoSeconds).toBeGreaterThan(0);
    const ev = await eventually(async () => observer!.events.find((e) => e.type === 'VerificationFinished' && e.data.verificationId === v.id), 30_000);
    expect(ev.data.outcome).toBe('passed');
    // The scratch cluster is gone.
    expect(await readdir(ENV.DR_SCRATCH_CLUSTER_DIR).catch(() => [])).toEqual([]);
    const doc = (await app.inject({ url: '/v1/continuity-document', headers })).body;
    expect(doc).toContain('## What each kind of policy can promise');
    expect(doc).toMatch(/\| vigil_src \| \d+(\.\d)? s \|/);
  });

  test('PITR to a timestamp between two writes: exactly the rows before the target are there', { timeout: 240_000 }, async ({ app, kit }) => {
    const headers = await kit.auth('acme', 'admin');
    const commits: Date[] = [];
    for (let i = 1; i <= 6; i++) {
      await cluster.sql(SRC, 'INSERT INTO writes (id, note) VALUES ($1, $2)', [i, `write ${i}`]);
      commits.push(new Date());
      await new Promise((r) => setTimeout(r, 700));
    }
    const target = new Date((commits[2]!.getTime() + commits[3]!.getTime()) / 2);
    await archivedNow();

    // The product's own restore path, kept open so the test can read the restored rows.
    const paths = policyPaths(ENV.DR_PGBACKREST_DIR, policyId);
    const stanza = `vigil-${policyId.slice(0, 8)}`;
    const dir = `${ENV.DR_SCRATCH_CLUSTER_DIR}/test-pitr`;
    const cleanup = { pgBinDir: PG_BIN, osUser: 'postgres', dir };
    try {
      await makeScratchDir(dir, 'postgres');
      const r = await runPgBackRest({ bin: 'pgbackrest', osUser: 'postgres', env: { PATH: process.env.PATH! } }, paths.config, stanza, [
        `--pg1-path=${dir}`,
        '--archive-mode=off',
        '--target-action=promote',
        '--type=time',
        `--target=${pgBackRestTime(target)}`,
        'restore',
      ]);
      expect(r.ok, r.stderr).toBe(true);
      const restored = await startScratchCluster({ pgBinDir: PG_BIN, osUser: 'postgres', dir, port: await freePort(), timeoutSeconds: 120 });
      const rows = await eventually(async () => {
        const c = new (await import('pg')).default.Client({ connectionString: restored.url(SRC) });
        await c.connect();
        try {
          if ((await c.query('SELECT pg_is_in_recovery() AS r')).rows[0].r) return undefined;
          return (await c.query('SELECT id FROM writes ORDER BY id')).rows.map((x) => x.id as number);
        } finally {
          await c.end();
        }
      }, 60_000, 300);
      expect(rows).toEqual([1, 2, 3]);
    } finally {
      await removeScratchCluster(cleanup);
    }

    // And as a drill through the API: the heartbeat before the target present, the one after absent.
    const drill = await app.inject({ method: 'POST', url: `/v1/policies/${policyId}/drills?targetTime=${encodeURIComponent(target.toISOString())}`, headers });
    expect(drill.statusCode, drill.body).toBe(202);
    const d = await waitFinished(app, headers, `/v1/verifications/${drill.json().id}`, 180_000);
    const boundary = (d.checks as Json[]).find((c) => c.name === 'pitr_boundary');
    expect(d.status, JSON.stringify(d.checks)).toBe('passed');
    expect(boundary).toMatchObject({ outcome: 'passed' });
    expect((d.checks as Json[]).find((c) => c.name === 'table_checksums')).toMatchObject({ outcome: 'skipped' });
  });

  test('incremental after the full: info JSON references the full, and the restore of the incremental uses both', { timeout: 240_000 }, async ({ app, kit }) => {
    const headers = await kit.auth('acme', 'admin');
    await cluster.sql(SRC, `UPDATE accounts SET balance = balance + 1 WHERE id % 10 = 0`);
    const started = await app.inject({ method: 'POST', url: `/v1/policies/${policyId}/backups?type=incr`, headers });
    expect(started.statusCode, started.body).toBe(202);
    const incr = await waitFinished(app, headers, `/v1/backups/${started.json().id}`);
    expect(incr).toMatchObject({ status: 'completed', backupType: 'incr' });
    const full = (await app.inject({ url: `/v1/backups/${fullBackupId}`, headers })).json();

    const info = await stanzaInfo({ bin: 'pgbackrest', osUser: 'postgres', env: { PATH: process.env.PATH! } }, policyPaths(ENV.DR_PGBACKREST_DIR, policyId).config, `vigil-${policyId.slice(0, 8)}`);
    const inInfo = info.backups.find((b) => b.label === incr.physical.label)!;
    expect(inInfo, `${incr.physical.label} not in ${JSON.stringify(info.backups.map((b) => b.label))}`).toBeDefined();
    expect(inInfo.type).toBe('incr');
    expect(inInfo.prior).toBe(full.physical.label);
    expect(inInfo.reference).toContain(full.physical.label);
    expect(inInfo.deltaBytes).toBeLessThan(inInfo.sizeBytes);

    const v = await eventually(async () => {
      const list = (await app.inject({ url: `/v1/policies/${policyId}/verifications`, headers })).json().items as Json[];
      return list.find((x) => x.backupId === incr.id && x.status !== 'running');
    }, 180_000, 500);
    expect(v.status, JSON.stringify(v.checks)).toBe('passed');
    expect((v.checks as Json[]).find((c) => c.name === 'restore_errors')?.detail).toContain(`--set=${incr.physical.label}`);
  });

  test('archiving broken (archive command pointed at a missing repository): a breach is published', { timeout: 240_000 }, async ({ app, kit }) => {
    const headers = await kit.auth('acme', 'admin');
    await cluster.sql('postgres', `ALTER SYSTEM SET archive_command = 'pgbackrest --config=${WORK}/missing/pgbackrest.conf --stanza=missing archive-push %p'`);
    await cluster.sql('postgres', 'SELECT pg_reload_conf()');
    await cluster.sql(SRC, `INSERT INTO writes (id, note) VALUES (100, 'while archiving is broken')`);
    await cluster.sql('postgres', 'SELECT pg_switch_wal()');
    const breach = await eventually(
      async () => observer!.events.find((e) => e.type === 'RecoveryObjectiveBreached' && e.data.policyId === policyId && e.data.cause === 'archiving-failed'),
      90_000,
      500,
    ).catch(async (err: Error) => {
      const archiver = await cluster.sql('postgres', 'SELECT * FROM pg_stat_archiver');
      const objectives = (await app.inject({ url: `/v1/policies/${policyId}/objectives`, headers })).json();
      throw new Error(`${err.message}; archiver ${JSON.stringify(archiver)}; objectives ${JSON.stringify(objectives)}`);
    });
    expect(breach.data).toMatchObject({ objective: 'rpo', runbookUrl: expect.stringMatching(/archiving-stalled$/) });
    const objectives = (await app.inject({ url: `/v1/policies/${policyId}/objectives`, headers })).json();
    expect(objectives.openBreaches.map((b: Json) => b.objective)).toContain('archiving');

    // A backup puts Vigil's archive_command back; the breach resolves once archiving succeeds.
    const started = await app.inject({ method: 'POST', url: `/v1/policies/${policyId}/backups?type=incr`, headers });
    await waitFinished(app, headers, `/v1/backups/${started.json().id}`);
    await eventually(async () => !(await app.inject({ url: `/v1/policies/${policyId}/objectives`, headers })).json().openBreaches.some((b: Json) => b.objective === 'archiving'), 90_000, 500);
  });

  test('SIGKILL of the orchestrator mid-restore: the scratch cluster is cleaned up on the next start and the verification retried', { timeout: 240_000 }, async ({ app, kit }) => {
    const headers = await kit.auth('acme', 'admin');
    await app.dr.runner.idle();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const childAuth = { authorization: `Bearer ${CHILD_KEY}` };
    // One process (node --import tsx), so SIGKILL hits the orchestrator itself; its own Kafka namespace.
    const childEnv = { ...process.env, ...kit.env, ...ENV, DR_SCHEDULER_ENABLED: 'false', KAFKA_NAMESPACE: `${kit.namespace}-child`, PORT: String(port), VIGIL_BOOTSTRAP_API_KEY: CHILD_KEY, VIGIL_BOOTSTRAP_TENANT: 'acme', LOG_LEVEL: 'warn' };
    const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: SERVICE_DIR, env: childEnv, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let exited = false;
    proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    proc.once('exit', () => (exited = true));
    try {
      await eventually(async () => {
        if (exited) throw new Error(`orchestrator exited before it was ready: ${stderr.slice(0, 500)}`);
        return (await fetch(`${base}/readyz`).catch(() => undefined))?.ok;
      }, 120_000, 250);
      const started = await fetch(`${base}/v1/policies/${policyId}/backups?type=full`, { method: 'POST', headers: childAuth });
      expect(started.status).toBe(202);
      const backupId = ((await started.json()) as { id: string }).id;
      // The after-backup verification is restoring: its scratch folder is being filled.
      const stale = await eventually(async () => {
        const dirs = (await readdir(ENV.DR_SCRATCH_CLUSTER_DIR).catch(() => [] as string[])).filter((d) => d.startsWith('vigil-dr-scratch-'));
        for (const d of dirs) if ((await readdir(path.join(ENV.DR_SCRATCH_CLUSTER_DIR, d)).catch(() => [])).length > 2) return d;
        return undefined;
      }, 120_000, 50);
      const killed = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGKILL');
      await killed;
      const staleId = stale.replace('vigil-dr-scratch-', '');
      expect(await exists(path.join(ENV.DR_SCRATCH_CLUSTER_DIR, stale))).toBe(true);
      const before = (await app.inject({ url: `/v1/verifications/${staleId}`, headers })).json();
      expect(before.status).toBe('running');

      // The next start: this service's policy clock finds the backup still pending, recovers and retries.
      const retried = await eventually(async () => {
        const list = (await app.inject({ url: `/v1/policies/${policyId}/verifications`, headers })).json().items as Json[];
        return list.find((x) => x.backupId === backupId && x.id !== staleId && x.status !== 'running');
      }, 180_000, 500);
      const old = (await app.inject({ url: `/v1/verifications/${staleId}`, headers })).json();
      expect(old.status).toBe('failed');
      expect(old.error).toMatch(/^interrupted/);
      expect(retried.status, JSON.stringify(retried.checks)).toBe('passed');
      expect((await app.inject({ url: `/v1/backups/${backupId}`, headers })).json().verificationStatus).toBe('passed');
      expect(await exists(path.join(ENV.DR_SCRATCH_CLUSTER_DIR, stale))).toBe(false);
    } finally {
      if (!exited) proc.kill('SIGKILL');
      await deleteNamespaceTopics(`${kit.namespace}-child`);
    }
  });

  test('one corrupted repository file: verification fails naming the file, VerificationFinished failed on Kafka', { timeout: 240_000 }, async ({ app, kit }) => {
    const headers = await kit.auth('acme', 'admin');
    await app.dr.runner.idle();
    const full = (await app.inject({ url: `/v1/backups/${fullBackupId}`, headers })).json();
    const setDir = path.join(WORK, 'repo', 'backup', `vigil-${policyId.slice(0, 8)}`, full.physical.label, 'pg_data', 'base');
    // The largest data file of the full set.
    let victim = '';
    let size = 0;
    for (const db of await readdir(setDir)) {
      for (const f of await readdir(path.join(setDir, db))) {
        const s = await stat(path.join(setDir, db, f));
        if (s.size > size) [victim, size] = [path.join(setDir, db, f), s.size];
      }
    }
    const bytes = await readFile(victim);
    const at = Math.floor(bytes.length / 2);
    bytes[at] = bytes[at]! ^ 0xff;
    await writeFile(victim, bytes);
    const started = await app.inject({ method: 'POST', url: `/v1/backups/${fullBackupId}/verifications`, headers });
    expect(started.statusCode, started.body).toBe(202);
    const v = await waitFinished(app, headers, `/v1/verifications/${started.json().id}`, 180_000);
    expect(v.status).toBe('failed');
    const repoCheck = (v.checks as Json[]).find((c) => c.name === 'repository');
    const relative = path.relative(path.join(WORK, 'repo', 'backup', `vigil-${policyId.slice(0, 8)}`, full.physical.label), victim).replace(/\.(gz|lz4|zst|bz2)$/, '');
    expect(repoCheck?.outcome, JSON.stringify(v.checks)).toBe('failed');
    expect(JSON.stringify(v.checks)).toContain(relative.replace(/^pg_data\//, ''));
    const ev = await eventually(async () => observer!.events.find((e) => e.type === 'VerificationFinished' && e.data.verificationId === v.id), 30_000);
    expect(ev.data).toMatchObject({ outcome: 'failed', runbookUrl: expect.any(String) });
  });
});
