// Revoking an API key takes effect at once on every running service (LISTEN/NOTIFY drops it from
// each process's cache), and use of a key is recorded (throttled) as last_used_at.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { BaseConfig, createPool, createServiceApp, listApiKeys, loadConfig, revokeApiKey } from '../src/index.js';
import { createTestEnv, eventually, type TestEnv } from '../src/testing/index.js';

const MIGRATIONS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'migrations');
let env: TestEnv;
const apps: FastifyInstance[] = [];

async function service(name: string): Promise<FastifyInstance> {
  const config = loadConfig({ ...BaseConfig, PORT: Type.Integer({ default: 0 }) }, env.env);
  const app = await createServiceApp({ name, schema: name.replace(/-/g, '_'), version: '1.0.0', description: name, config, migrationsDir: MIGRATIONS });
  app.get('/ping', async (req) => ({ tenant: req.principal.tenantId }));
  apps.push(app);
  await app.ready();
  return app;
}

beforeAll(async () => {
  env = await createTestEnv('kitrevoke');
});
afterAll(async () => {
  for (const a of apps) await a.close();
  await env?.cleanup();
});

describe('API key revocation and last use', () => {
  it('a revoked key is refused at once by two services that had it cached', async () => {
    const [a, b] = [await service('svc-a'), await service('svc-b')];
    const key = await env.apiKey('acme', 'read');
    const auth = { authorization: `Bearer ${key}` };
    // Both services now hold the key in their 30 s cache.
    expect((await a.inject({ url: '/ping', headers: auth })).statusCode).toBe(200);
    expect((await b.inject({ url: '/ping', headers: auth })).statusCode).toBe(200);
    const pool = createPool(env.databaseUrl, 1);
    try {
      expect(await revokeApiKey(pool, 'acme', key.split('_')[1]!)).toBe(true);
    } finally {
      await pool.end();
    }
    const start = Date.now();
    await eventually(async () => (await a.inject({ url: '/ping', headers: auth })).statusCode === 401 && (await b.inject({ url: '/ping', headers: auth })).statusCode === 401, 5_000, 20);
    // Far inside the cache lifetime: the notification, not the expiry, dropped it.
    expect(Date.now() - start).toBeLessThan(5_000);
    expect((await a.inject({ url: '/ping', headers: auth })).json().code).toBe('AUTH_INVALID');
  });

  it('records when a key was last used', async () => {
    const a = apps[0] ?? (await service('svc-a'));
    const key = await env.apiKey('used-tenant', 'read');
    const id = key.split('_')[1]!;
    expect((await listApiKeys(a.infra.pool, 'used-tenant')).find((k) => k.id === id)?.lastUsedAt).toBeNull();
    expect((await a.inject({ url: '/ping', headers: { authorization: `Bearer ${key}` } })).statusCode).toBe(200);
    const used = await eventually(async () => (await listApiKeys(a.infra.pool, 'used-tenant')).find((k) => k.id === id)?.lastUsedAt);
    expect(Date.now() - Date.parse(used)).toBeLessThan(60_000);
  });
});
