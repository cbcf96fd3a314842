// The orchestrator is SIGKILLed in the middle of a backup (pg_dump running, blocked on a
// table lock). Nothing half-written is ever marked good, and the next run cleans up and succeeds.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { deleteNamespaceTopics, eventually, serviceTest, type TestKit } from '@vigil/service-kit/testing';
import { buildApp } from '../src/app.js';
import { loadServiceConfig } from '../src/config.js';
import { admin, createSourceDb, dropDb, observeDrEvents, serverUrl } from './fixtures.js';

const SERVICE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const KEY = 'vgl_crashtest01_abcdefghijklmnopqrstuvwx';

// Only the `kit` fixture (a database cloned from the template, a namespace): the orchestrator that
// crashes is a child process, and the one that recovers is built after the crash.
const it = serviceTest({ label: 'drcrash', env: { DR_SCHEDULER_ENABLED: 'false' }, build: (env) => buildApp(loadServiceConfig(env)) });

let kit: TestKit;
let source: string;
let repo: string;
let child: ChildProcess | undefined;
let app: FastifyInstance | undefined;
let locker: pg.Client | undefined;
let observer: Awaited<ReturnType<typeof observeDrEvents>>;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

const exists = (p: string) => stat(p).then(() => true, () => false);
const serviceDb = () => new URL(kit.databaseUrl).pathname.slice(1);
const childNamespace = () => `${kit.namespace}-child`;

beforeAll(async () => {
  source = await createSourceDb('crash', 5_000);
  repo = await mkdtemp(path.join(tmpdir(), 'vigil-dr-crash-'));
}, 300_000);

afterAll(async () => {
  child?.kill('SIGKILL');
  await locker?.end().catch(() => undefined);
  await observer?.stop();
  await app?.close();
  if (source) await dropDb(source);
  if (repo) await rm(repo, { recursive: true, force: true });
  if (kit) await deleteNamespaceTopics(childNamespace());
});

describe('crash mid-backup', { timeout: 180_000 }, () => {
  it('never marks a partial backup good, and the next run recovers', async ({ kit: k }) => {
    kit = k;
    observer = await observeDrEvents(kit.env.KAFKA_BROKERS!, kit.namespace);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
    // One process (node --import tsx), so SIGKILL hits the orchestrator itself; its own Kafka
    // namespace, so the recovering orchestrator does not wait for the dead one's consumer-group session.
    const childEnv = { ...process.env, ...kit.env, KAFKA_NAMESPACE: childNamespace(), PORT: String(port), VIGIL_BOOTSTRAP_API_KEY: KEY, VIGIL_BOOTSTRAP_TENANT: 'acme', LOG_LEVEL: 'warn' };
    const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: SERVICE_DIR, env: childEnv, stdio: ['ignore', 'ignore', 'pipe'] });
    child = proc;
    let stderr = '';
    let childExited = false;
    proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    proc.once('exit', () => (childExited = true));
    await eventually(async () => {
      if (childExited) throw new Error(`orchestrator exited before it was ready: ${stderr.slice(0, 500)}`);
      return (await fetch(`${base}/readyz`).catch(() => undefined))?.ok;
    }, 120_000, 250);

    const created = await fetch(`${base}/v1/policies`, { method: 'POST', headers, body: JSON.stringify({ sourceUrl: serverUrl(source), schedule: '0 0 1 1 *', repositoryPath: repo, jobs: 2 }) });
    expect(created.status).toBe(201);
    const policyId = ((await created.json()) as { id: string }).id;

    // Hold a lock pg_dump must wait for: the backup is then reliably in flight when we kill.
    locker = new pg.Client({ connectionString: serverUrl(source) });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE billing.invoices IN ACCESS EXCLUSIVE MODE');

    const started = await fetch(`${base}/v1/policies/${policyId}/backups`, { method: 'POST', headers: { authorization: headers.authorization } });
    expect(started.status).toBe(202);
    const crashedId = ((await started.json()) as { id: string }).id;
    const partial = path.join(repo, policyId, `.partial-${crashedId}`);
    await eventually(async () => {
      const { rows } = await admin((c) =>
        c.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock' AND query ILIKE 'LOCK TABLE%'`, [`vigil-dr-backup-${crashedId}`]),
      );
      return rows.length > 0 && (await exists(path.join(partial, 'dump')));
    }, 60_000);

    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGKILL');
    await exited;
    child = undefined;

    const row = await admin((c) => c.query('SELECT status, verification_status, path FROM dr.backups WHERE id = $1', [crashedId]), serviceDb());
    expect(row.rows[0]).toEqual({ status: 'running', verification_status: 'pending', path: null });
    expect(await exists(path.join(repo, policyId, crashedId))).toBe(false);
    expect(await exists(partial)).toBe(true);

    await locker.query('ROLLBACK');
    await locker.end();
    locker = undefined;

    // Next run, in a fresh orchestrator.
    app = await buildApp(loadServiceConfig(kit.env));
    await app.ready();
    const key = await kit.apiKey('acme', 'write');
    const auth = { authorization: `Bearer ${key}` };
    const next = await app.inject({ method: 'POST', url: `/v1/policies/${policyId}/backups`, headers: auth });
    expect(next.statusCode, next.body).toBe(202);
    const nextId = next.json().id;

    const crashed = (await app.inject({ url: `/v1/backups/${crashedId}`, headers: auth })).json();
    expect(crashed.status).toBe('failed');
    expect(crashed.error).toMatch(/^interrupted: the orchestrator stopped during the backup/);
    expect(crashed.verificationStatus).toBe('pending');
    expect(await exists(partial)).toBe(false);

    const good = await eventually(async () => {
      const b = (await app!.inject({ url: `/v1/backups/${nextId}`, headers: auth })).json();
      return b.verificationStatus !== 'pending' || b.status === 'failed' ? b : undefined;
    }, 90_000);
    expect(good).toMatchObject({ status: 'completed', verificationStatus: 'passed', rows: 15_000 });
    expect((await readdir(path.join(repo, policyId))).sort()).toEqual([nextId]);
    const event = await eventually(async () => observer.events.find((e) => e.type === 'BackupFinished' && e.data.backupId === crashedId), 60_000);
    expect(event.data.outcome).toBe('failed');
    // The dead run's pg_dump sessions are gone.
    const leftovers = await admin((c) => c.query('SELECT 1 FROM pg_stat_activity WHERE application_name = $1', [`vigil-dr-backup-${crashedId}`]));
    expect(leftovers.rowCount).toBe(0);
  });
});
