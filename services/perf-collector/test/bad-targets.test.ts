// The scheduler against bad targets: unreachable, hanging, and without pg_stat_statements
// (not installed / installed but not preloaded). Each gets a clear status; none delays the others.
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sealSecret } from '@vigil/service-kit';
import { eventually } from '@vigil/service-kit/testing';
import { buildPerf, perfTest } from './fixtures/app.js';
import { startScratchPostgres, type ScratchPostgres } from './fixtures/scratch-postgres.js';

let target: ScratchPostgres;
let silent: net.Server;
let healthy: http.Server;
let monitored = '';
const sockets = new Set<net.Socket>();
const TIMEOUT_MS = 12_000;

beforeAll(async () => {
  // Accepts TCP connections and never answers: a hung server.
  silent = net.createServer((s) => sockets.add(s));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  // Stands in for a Vigil service's health endpoint.
  healthy = http.createServer((req, res) => res.writeHead(req.url === '/healthz' ? 200 : 404).end('{"status":"ok"}'));
  await new Promise<void>((r) => healthy.listen(0, '127.0.0.1', r));
  monitored = `alerting=http://127.0.0.1:${(healthy.address() as net.AddressInfo).port}/healthz,gdpr=http://127.0.0.1:1/healthz`;
  target = await startScratchPostgres(25434, { preloadStatements: false });
  await target.sql('postgres', 'CREATE DATABASE plain');
  await target.sql('postgres', 'CREATE DATABASE unloaded');
  await target.sql('unloaded', 'CREATE EXTENSION pg_stat_statements');
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  silent?.close();
  healthy?.close();
  await target?.stop();
});

const it = perfTest({
  env: { PERF_SCHEDULER_TICK_MS: '200', PERF_TARGET_TIMEOUT_MS: String(TIMEOUT_MS), PERF_DEFAULT_INTERVAL_S: '3600', PERF_SELF_MONITOR_INTERVAL_S: '1' },
  // The monitored URLs exist once beforeAll has started their servers, which is before the app is built.
  build: (env) => buildPerf({ ...env, PERF_SELF_MONITOR_URLS: monitored }),
});

const register = async (app: FastifyInstance, headers: Record<string, string>, name: string, connectionString: string) => {
  const res = await app.inject({ method: 'POST', url: '/v1/databases', headers, payload: { name, connectionString } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
};

type View = { id: string; name: string; connection: string; status: string; statusDetail: string; lastAttemptAt: string; lastSuccessAt: string | null };
const view = async (app: FastifyInstance, headers: Record<string, string>, id: string) => (await app.inject({ url: `/v1/databases/${id}`, headers })).json() as View;

describe('bad targets', () => {
  it('gives each bad target a clear status while the good ones are collected on time', async ({ app, headers }) => {
    const hung = await register(app, headers, 'hung', `postgres://postgres@127.0.0.1:${(silent.address() as net.AddressInfo).port}/x`);
    const refused = await register(app, headers, 'refused', 'postgres://postgres@127.0.0.1:1/x');
    const plain = await register(app, headers, 'plain', `postgres://postgres@127.0.0.1:${target.port}/plain`);
    const unloaded = await register(app, headers, 'unloaded', `postgres://postgres@127.0.0.1:${target.port}/unloaded`);
    const missingDb = await register(app, headers, 'missing-db', `postgres://postgres@127.0.0.1:${target.port}/nope`);

    const p = await eventually(async () => ((await view(app, headers, plain)).status === 'degraded' ? view(app, headers, plain) : undefined), 30_000);
    expect(p.statusDetail).toBe('extension pg_stat_statements is not installed in this database (CREATE EXTENSION pg_stat_statements)');
    const u = await eventually(async () => ((await view(app, headers, unloaded)).status === 'degraded' ? view(app, headers, unloaded) : undefined), 30_000);
    expect(u.statusDetail).toContain('shared_preload_libraries');
    const r = await eventually(async () => ((await view(app, headers, refused)).status === 'unreachable' ? view(app, headers, refused) : undefined), 30_000);
    expect(r.statusDetail).toContain('ECONNREFUSED');
    const m = await eventually(async () => ((await view(app, headers, missingDb)).status === 'unreachable' ? view(app, headers, missingDb) : undefined), 30_000);
    expect(m.statusDetail).toContain('database "nope" does not exist');

    const h = await eventually(async () => ((await view(app, headers, hung)).status === 'timeout' ? view(app, headers, hung) : undefined), 60_000);
    expect(h.statusDetail).toBe(`collection did not finish within ${TIMEOUT_MS} ms`);
    expect(h.lastSuccessAt).toBeNull();
    // The good targets finished before the hung one gave up.
    expect(Date.parse(p.lastSuccessAt!)).toBeLessThan(Date.parse(h.lastAttemptAt));
    expect(Date.parse(u.lastSuccessAt!)).toBeLessThan(Date.parse(h.lastAttemptAt));
  });

  it('still scores a database without pg_stat_statements from its other sources', async ({ app, headers }) => {
    const list = (await app.inject({ url: '/v1/databases', headers })).json().items as View[];
    const plain = list.find((t) => t.name === 'plain')!;
    const current = await app.inject({ url: `/v1/databases/${plain.id}/health/current`, headers });
    expect(current.statusCode).toBe(200);
    expect(current.json().score).toBeGreaterThanOrEqual(0);
    const hung = list.find((t) => t.name === 'hung')!;
    const none = await app.inject({ url: `/v1/databases/${hung.id}/health/current`, headers });
    expect(none.statusCode).toBe(404);
    expect(none.json().code).toBe('PERF_HEALTH_NOT_SCORED');
  });
});

describe('sealed connection strings', () => {
  it('reports a connection string that the current key cannot open as an error, not a crash', async ({ app, headers }) => {
    const id = await register(app, headers, 'rekeyed', `postgres://postgres@127.0.0.1:${target.port}/plain`);
    // As if PERF_SECRET_KEY had been rotated: the stored value was sealed under another key.
    const underOldKey = sealSecret(`postgres://postgres@127.0.0.1:${target.port}/plain`, 'cd'.repeat(32), 'perf.target-dsn');
    await app.infra.pool.query(`UPDATE perf.targets SET conn_sealed = $2, next_due_at = now() + interval '1 hour' WHERE id = $1`, [id, underOldKey]);
    const res = await app.inject({ method: 'POST', url: `/v1/databases/${id}/collections`, headers, payload: {} });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'error', detail: 'collection failed: the stored connection string cannot be decrypted with the current PERF_SECRET_KEY; register it again' });
    expect((await view(app, headers, id)).connection).toBe('(unreadable with the current key)');
  });
});

describe('self-monitoring', () => {
  it('polls the health endpoints of the Vigil services (admin only)', async ({ app, kit, headers }) => {
    const admin = { authorization: `Bearer ${await kit.apiKey('ops', 'admin')}` };
    const checks = await eventually(async () => {
      const list = (await app.inject({ url: '/v1/self-monitoring', headers: admin })).json().items as { service: string; ok: boolean; httpStatus: number | null; detail: string }[];
      return list.length === 2 ? list : undefined;
    });
    expect(checks[0]).toMatchObject({ service: 'alerting', ok: true, httpStatus: 200 });
    expect(checks[1]).toMatchObject({ service: 'gdpr', ok: false, httpStatus: null });
    expect(checks[1]!.detail).not.toBe('');
    expect((await app.inject({ url: '/v1/self-monitoring', headers })).statusCode).toBe(403);
  });
});
