// SIGKILL of a process-role instance while it is processing a stream of events: its open batch
// transaction dies with it, a second process-role instance takes the partitions over from the last
// committed offset, and every accepted event is applied exactly once (events stored once, issue
// counts equal to what was accepted). The killed instance is a real server process (node --import tsx).
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, eventually, testTemplate, type TestEnv } from '@vigil/service-kit/testing';
import { buildApp } from '../src/app.js';
import { loadServiceConfig } from '../src/config.js';
import { createProject, errorEvent, issueEventCount, sendEnvelope, type Fixture } from './fixtures.js';

const SERVICE_DIR = fileURLToPath(new URL('..', import.meta.url));
const CHILD_PORT = 29700;

let env: TestEnv;
let db: pg.Pool;
let ingestApp: FastifyInstance;
let takeover: FastifyInstance | undefined;
let child: ChildProcess | undefined;
let f: Fixture;

beforeAll(async () => {
  const template = await testTemplate({ label: 'errors', build: async (e) => [await buildApp(loadServiceConfig(e))] });
  env = await createTestEnv('errors', { template });
  db = new pg.Pool({ connectionString: env.databaseUrl, max: 2 });
  ingestApp = await buildApp(loadServiceConfig({ ...env.env, ERRORS_ROLE: 'ingest' }));
  await ingestApp.ready();
  const auth = { authorization: `Bearer ${await env.apiKey('acme', 'admin')}` };
  f = { env, app: ingestApp, auth, project: await createProject(ingestApp, auth, 'kill') };
}, 180_000);

afterAll(async () => {
  child?.kill('SIGKILL');
  await takeover?.close().catch(() => undefined);
  await ingestApp?.close().catch(() => undefined);
  await db?.end();
  await env?.cleanup().catch(() => undefined);
}, 120_000);

async function startProcessRole(): Promise<ChildProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: SERVICE_DIR,
    env: { ...process.env, ...env.env, ERRORS_ROLE: 'process', PORT: String(CHILD_PORT), LOG_LEVEL: 'fatal', ERRORS_SPIKE_MIN_COUNT: '100000' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4_000)));
  let exitCode: number | null | undefined;
  proc.once('exit', (code) => (exitCode = code));
  await eventually(async () => {
    if (exitCode !== undefined) throw new Error(`process role exited with code ${exitCode} during boot: ${stderr}`);
    return (await fetch(`http://127.0.0.1:${CHILD_PORT}/readyz`).catch(() => undefined))?.ok;
  }, 90_000, 200);
  return proc;
}

const stored = async () => {
  const { rows } = await db.query<{ n: string; d: string }>('SELECT count(*) AS n, count(DISTINCT event_id) AS d FROM errors.events');
  return { n: Number(rows[0]!.n), distinct: Number(rows[0]!.d) };
};

describe('SIGKILL of a process-role instance mid-stream', () => {
  it('applies every accepted event exactly once after another instance takes over', async () => {
    child = await startProcessRole();
    const TOTAL = 600;
    let accepted = 0;
    let sent = 0;
    const sender = async () => {
      while (sent < TOTAL) {
        const n = sent++;
        const res = await sendEnvelope(f, errorEvent({ exception: { values: [{ type: `Kill${n % 7}`, value: 'stream' }] } }));
        if (res.statusCode === 200) accepted++;
      }
    };
    const sending = Promise.all(Array.from({ length: 8 }, sender));

    // Positive signal first: the child is processing; then kill it while events keep arriving.
    await eventually(async () => (await stored()).n >= 50, 90_000, 20);
    child.kill('SIGKILL');
    const atKill = { stored: (await stored()).n, sent };
    await sending;
    expect(accepted).toBe(TOTAL);
    expect(atKill.sent).toBeLessThan(TOTAL); // the kill landed while events were still arriving

    takeover = await buildApp(loadServiceConfig({ ...env.env, ERRORS_ROLE: 'process', ERRORS_SPIKE_MIN_COUNT: '100000' }));
    await takeover.ready();
    await eventually(async () => (await stored()).n >= TOTAL, 150_000, 250);
    // Nothing twice: a marker on the same project (same partition) is processed after everything before it.
    expect((await sendEnvelope(f, errorEvent({ exception: { values: [{ type: 'KillMarker', value: 'last' }] } }))).statusCode).toBe(200);
    await eventually(async () => (await stored()).n >= TOTAL + 1 && (await issueEventCount(takeover!, f)) >= TOTAL + 1, 60_000, 250).catch(async (err: Error) => {
      throw new Error(`${err.message}: stored ${JSON.stringify(await stored())}, in issues ${await issueEventCount(takeover!, f)}`);
    });
    expect(await stored()).toEqual({ n: TOTAL + 1, distinct: TOTAL + 1 });
    expect(await issueEventCount(takeover, f)).toBe(TOTAL + 1);
    expect(atKill.stored).toBeLessThan(TOTAL);
  }, 400_000);
});
