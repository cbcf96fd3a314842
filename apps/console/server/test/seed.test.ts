// The first-start seed against the real error-ingest, perf-collector and dr-orchestrator: it
// creates the "vigil" project (DSN written to a file), the perf target and the daily DR policy,
// and running it again creates nothing twice.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTestEnv, eventually, type TestEnv } from '@vigil/service-kit/testing';
import { buildApp as buildDr } from '../../../../services/dr-orchestrator/src/app.js';
import { loadServiceConfig as drConfig } from '../../../../services/dr-orchestrator/src/config.js';
import { buildApp as buildErrors } from '../../../../services/error-ingest/src/app.js';
import { loadServiceConfig as errorsConfig } from '../../../../services/error-ingest/src/config.js';
import { buildApp as buildPerf } from '../../../../services/perf-collector/src/app.js';
import { loadServiceConfig as perfConfig } from '../../../../services/perf-collector/src/config.js';
import { buildApp } from '../app.js';
import { loadConsoleConfig, type Config } from '../config.js';
import { seedSelf } from '../operations/self-seed.js';
import { serviceInstances } from '../clients/service-instances.js';

const KEY = 'vgl_seedtest01_abcdefghijklmnopqrstuvwxyz0123';
let env: TestEnv;
let dir: string;
let config: Config;
let console_: FastifyInstance;
const services: FastifyInstance[] = [];
const auth = { authorization: `Bearer ${KEY}` };

beforeAll(async () => {
  env = await createTestEnv('conseed');
  dir = await mkdtemp(path.join(tmpdir(), 'vigil-seed-'));
  const common = { ...env.env, VIGIL_BOOTSTRAP_API_KEY: KEY };
  const urls: Record<string, string> = {};
  for (const [name, app] of [
    ['CONSOLE_ERRORS_URL', await buildErrors(errorsConfig({ ...common, ERRORS_PUBLIC_URL: 'http://127.0.0.1:4100' }))],
    ['CONSOLE_PERF_URL', await buildPerf(perfConfig(common))],
    ['CONSOLE_DR_URL', await buildDr(drConfig(common))],
  ] as const) {
    services.push(app);
    urls[name] = await app.listen({ host: '127.0.0.1', port: 0 });
  }
  config = loadConsoleConfig({
    ...common,
    ...urls,
    CONSOLE_SELF_SEED: 'true',
    CONSOLE_INITIAL_PASSWORD_FILE: path.join(dir, 'pw'),
    CONSOLE_SELF_DSN_FILE: path.join(dir, 'dsn'),
    CONSOLE_SELF_BACKUP_DIR: path.join(dir, 'backups'),
  });
  console_ = await buildApp(config);
  await console_.ready();
}, 180_000);

afterAll(async () => {
  await console_?.close();
  for (const s of services) await s.close();
  await env?.cleanup();
  await rm(dir, { recursive: true, force: true });
});

const count = async (app: FastifyInstance, url: string, name: string) =>
  ((await app.inject({ url, headers: auth })).json().items as { name: string }[]).filter((x) => x.name === name).length;

describe('first-start seed', () => {
  it('sets Vigil up to watch itself, once', async () => {
    await eventually(async () => (await console_.infra.pool.query(`SELECT count(*)::int AS n FROM console.setup_steps`)).rows[0].n === 3, 60_000, 250);
    const [errors, perf, dr] = services as [FastifyInstance, FastifyInstance, FastifyInstance];
    expect(await count(errors, '/v1/projects', 'vigil')).toBe(1);
    expect(await count(perf, '/v1/databases', 'vigil')).toBe(1);
    expect(await count(dr, '/v1/policies', 'vigil daily')).toBe(1);
    const policy = ((await dr.inject({ url: '/v1/policies', headers: auth })).json().items as { name: string; schedule: string }[]).find((p) => p.name === 'vigil daily');
    expect(policy?.schedule).toBe('0 3 * * *');
    // The first backup-and-verify runs right away and is proven by a restore (waited for here, before the apps close under it).
    const policyId = (policy as unknown as { id: string }).id;
    const backups = await eventually(async () => {
      const list = (await dr.inject({ url: `/v1/policies/${policyId}/backups`, headers: auth })).json().items as { status: string; verificationStatus: string }[];
      return list.length === 1 && list[0]!.status !== 'running' && (list[0]!.status === 'failed' || list[0]!.verificationStatus !== 'pending') ? list : undefined;
    }, 80_000, 500);
    expect(backups[0]).toMatchObject({ status: 'completed', verificationStatus: 'passed' });

    const dsn = (await readFile(path.join(dir, 'dsn'), 'utf8')).trim();
    expect(dsn).toMatch(/^http:\/\/[A-Za-z0-9]+@127\.0\.0\.1:4100\/\d+$/);
    expect((await stat(path.join(dir, 'dsn'))).mode & 0o777).toBe(0o600);

    // Again, with the markers gone: it finds the resources by name and creates none twice.
    await console_.infra.pool.query(`DELETE FROM console.setup_steps`);
    const log = { info() {}, warn() {} };
    expect(await seedSelf(console_.infra.pool, config, { key: KEY, services: serviceInstances(config), log })).toBe(true);
    expect(await count(errors, '/v1/projects', 'vigil')).toBe(1);
    expect(await count(perf, '/v1/databases', 'vigil')).toBe(1);
    expect(await count(dr, '/v1/policies', 'vigil daily')).toBe(1);
    expect((await readFile(path.join(dir, 'dsn'), 'utf8')).trim()).toBe(dsn);
  }, 150_000);
});
