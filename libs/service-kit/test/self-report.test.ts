// Self-report with the real @sentry/node SDK and OTLP exporter against a local HTTP receiver:
// a 5xx is reported once the DSN file appears, and request durations are exported over OTLP.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { BaseConfig, createServiceApp, loadConfig } from '../src/index.js';
import { createTestEnv, eventually, type TestEnv } from '../src/testing/index.js';

const MIGRATIONS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'migrations');
const KEY = 'vgl_selfrep01_abcdefghijklmnopqrstuvwxyz012345';
let env: TestEnv;
let app: FastifyInstance;
let receiver: Server;
let base = '';
let dir = '';
const received: { url: string; auth?: string; body: string }[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      received.push({ url: req.url ?? '', auth: req.headers.authorization, body: body.toString('latin1') });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
  dir = await mkdtemp(path.join(tmpdir(), 'vigil-selfrep-'));
  env = await createTestEnv('kitselfrep');
  const config = loadConfig({ ...BaseConfig, PORT: Type.Integer({ default: 0 }) }, {
    ...env.env,
    VIGIL_BOOTSTRAP_API_KEY: KEY,
    VIGIL_SENTRY_DSN_FILE: path.join(dir, 'dsn'),
    VIGIL_SELF_METRICS_URL: `${base}/v1/metrics`,
    VIGIL_SELF_METRICS_INTERVAL_MS: '300',
  });
  app = await createServiceApp({ name: 'selfrep', schema: 'selfrep', version: '1.2.3', description: 'self-report test', config, migrationsDir: MIGRATIONS });
  app.get('/boom', { config: { public: true } }, async () => {
    throw new Error('self-report test failure');
  });
  app.get('/fine', { config: { public: true } }, async () => ({ ok: true }));
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await env?.cleanup();
  receiver?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('self-report', () => {
  it('reports a 5xx to the DSN once the DSN file appears', async () => {
    await writeFile(path.join(dir, 'dsn'), `http://publickey123@${base.slice('http://'.length)}/42\n`);
    const boom = await eventually(async () => {
      expect((await app.inject({ url: '/boom' })).statusCode).toBe(500);
      return received.find((r) => r.url.startsWith('/api/42/envelope/') && r.body.includes('self-report test failure'));
    }, 15_000, 500);
    expect(boom.body).toContain('selfrep@1.2.3');
  });

  it('exports request durations over OTLP with the API key', async () => {
    await app.inject({ url: '/fine' });
    const metrics = await eventually(async () => received.find((r) => r.url === '/v1/metrics' && r.body.includes('http.server.request.duration')), 10_000);
    expect(metrics.auth).toBe(`Bearer ${KEY}`);
    expect(metrics.body).toContain('selfrep');
  });
});
