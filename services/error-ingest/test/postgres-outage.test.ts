// PostgreSQL stopped mid-load (Kafka up): intake keeps answering 200 — DSN keys from the cache
// (stale, since the cache time is short), events onto Kafka — a key never seen gets 503, not 403;
// once PostgreSQL is back, processing resumes and every accepted event is in an issue exactly once.
// Runs the app on a private scratch cluster (port 25440), never the shared PostgreSQL.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, eventually, startScratchPostgres, type ScratchPostgres, type TestEnv } from '@vigil/service-kit/testing';
import { buildApp } from '../src/app.js';
import { loadServiceConfig } from '../src/config.js';
import { createProject, envelopeOf, errorEvent, issueEventCount, metric, sendEnvelope, sentryAuth, type Fixture } from './fixtures.js';

const alnum = (n: number) => randomBytes(n).toString('hex').slice(0, n);
const API_KEY = `vgl_${alnum(12)}_${alnum(32)}`;

let scratch: ScratchPostgres;
let env: TestEnv;
let app: FastifyInstance;
let f: Fixture;

beforeAll(async () => {
  scratch = await startScratchPostgres(25440, { preloadStatements: false });
  env = await createTestEnv('errors_pgstop'); // its Kafka namespace and Redis; the database is the scratch cluster's
  app = await buildApp(
    loadServiceConfig({
      ...env.env,
      DATABASE_URL: scratch.url('errors'),
      DATABASE_POOL_MAX: '8',
      VIGIL_BOOTSTRAP_API_KEY: API_KEY,
      VIGIL_BOOTSTRAP_TENANT: 'acme',
      ERRORS_KEY_CACHE_MS: '200',
      ERRORS_SPIKE_MIN_COUNT: '1000',
    }),
  );
  await app.ready();
  const auth = { authorization: `Bearer ${API_KEY}` };
  f = { env, app, auth, project: await createProject(app, auth, 'pg-outage') };
}, 180_000);

afterAll(async () => {
  await scratch?.resume().catch(() => undefined); // should the test have stopped half-way with PostgreSQL down
  await app?.close().catch(() => undefined);
  await env?.cleanup().catch(() => undefined);
  await scratch?.stop();
}, 120_000);

const ex = (n: number) => ({ values: [{ type: `PgOutage${n % 3}`, value: 'x' }] });

describe('PostgreSQL outage', () => {
  it('keeps accepting with cached keys while PostgreSQL is down and processes everything once it is back', async () => {
    for (let n = 0; n < 10; n++) expect((await sendEnvelope(f, errorEvent({ exception: ex(n) }))).statusCode).toBe(200);
    await eventually(async () => (await issueEventCount(app, f)) === 10, 60_000, 200);

    await scratch.pause();
    await new Promise((r) => setTimeout(r, 300)); // past ERRORS_KEY_CACHE_MS: the key is served stale
    for (let n = 0; n < 30; n++) {
      const res = await sendEnvelope(f, errorEvent({ exception: ex(n) }));
      expect(res.statusCode, res.body).toBe(200);
    }
    // A key never seen cannot be checked now: 503 with Retry-After, not 403.
    const unknown = await app.inject({ method: 'POST', url: f.project.dsnPath, headers: sentryAuth(alnum(32)), payload: envelopeOf(errorEvent()) });
    expect(unknown.statusCode, unknown.body).toBe(503);
    expect(Number(unknown.headers['retry-after'])).toBeGreaterThan(0);
    expect(await metric(app, 'vigil_errors_accepted_total', 'path="kafka"')).toBe(40);

    await scratch.resume();
    await eventually(async () => (await issueEventCount(app, f)) === 40, 120_000, 500);
    // Nothing twice: a marker on the same project (same partition) comes after everything before it.
    expect((await sendEnvelope(f, errorEvent({ exception: { values: [{ type: 'PgOutageMarker', value: 'last' }] } }))).statusCode).toBe(200);
    await eventually(async () => (await issueEventCount(app, f)) >= 41, 60_000, 250);
    expect(await issueEventCount(app, f)).toBe(41);
    const [row] = await scratch.sql<{ n: string; d: string }>('errors', 'SELECT count(*) AS n, count(DISTINCT event_id) AS d FROM errors.events');
    expect([Number(row!.n), Number(row!.d)]).toEqual([41, 41]);
  }, 300_000);
});
