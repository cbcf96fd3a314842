// The service kit against real PostgreSQL, Redis and Kafka: auth, roles, tenant scope,
// problem+json errors, request ids and migrations.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect } from 'vitest';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { BaseConfig, createServiceApp, loadConfig, notFound, revokeApiKey } from '../src/index.js';
import { serviceTest } from '../src/testing/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const MIGRATIONS = path.join(here, 'fixtures/migrations');

async function build(env: Record<string, string>): Promise<FastifyInstance> {
  const config = loadConfig({ ...BaseConfig, PORT: Type.Integer({ default: 0 }) }, env);
  const app = await createServiceApp({ name: 'kit-test', schema: 'kit_test', version: '1.0.0', description: 'kit test', config, migrationsDir: MIGRATIONS });
  app.post(
    '/things',
    { schema: { body: Type.Object({ name: Type.String({ minLength: 2 }) }, { additionalProperties: false }) } },
    async (req, reply) => {
      const { name } = req.body as { name: string };
      await app.infra.pool.query('INSERT INTO kit_test.things (tenant_id, name) VALUES ($1, $2)', [req.principal.tenantId, name]);
      return reply.status(201).send({ name });
    },
  );
  app.get('/things', async (req) => (await app.infra.pool.query('SELECT name FROM kit_test.things WHERE tenant_id = $1', [req.principal.tenantId])).rows);
  app.get('/things/:id', async () => {
    throw notFound('KIT_THING_NOT_FOUND', 'no such thing');
  });
  app.get('/boom', async () => {
    throw new Error('secret internal detail');
  });
  app.delete('/admin-only', { config: { role: 'admin' } }, async () => ({ ok: true }));
  return app;
}

const it = serviceTest({ label: 'kit', build, migrationDirs: [MIGRATIONS] });

const auth = (key: string) => ({ authorization: `Bearer ${key}` });

describe('service kit', () => {
  it('migrates its schema and the identity store', async ({ app }) => {
    const { rows } = await app.infra.pool.query(`SELECT id FROM kit_test.schema_migrations ORDER BY id`);
    expect(rows.map((r) => r.id)).toEqual(['0001_init', 'events/0001_outbox_inbox']);
  });

  it('rejects missing, malformed and revoked keys with 401 problem+json', async ({ app, kit }) => {
    const none = await app.inject({ url: '/things' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(none.json()).toMatchObject({ status: 401, code: 'AUTH_REQUIRED' });
    expect((await app.inject({ url: '/things', headers: auth('nope') })).json().code).toBe('AUTH_INVALID');
    const key = await kit.apiKey('acme', 'read');
    expect((await app.inject({ url: '/things', headers: auth(key) })).statusCode).toBe(200);
    const id = key.split('_')[1]!;
    expect(await revokeApiKey(app.infra.pool, 'acme', id)).toBe(true);
    const wrongSecret = `vgl_${id}_${'x'.repeat(32)}`;
    expect((await app.inject({ url: '/things', headers: auth(wrongSecret) })).statusCode).toBe(401);
  });

  it('enforces roles: read cannot write, write cannot admin', async ({ app, kit }) => {
    const reader = await kit.apiKey('acme', 'read');
    const writer = await kit.apiKey('acme', 'write');
    const denied = await app.inject({ method: 'POST', url: '/things', headers: auth(reader), payload: { name: 'xx' } });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().detail).toMatch(/role read; write is required/);
    expect((await app.inject({ method: 'DELETE', url: '/admin-only', headers: auth(writer) })).statusCode).toBe(403);
    expect((await app.inject({ method: 'DELETE', url: '/admin-only', headers: auth(await kit.apiKey('acme', 'admin')) })).statusCode).toBe(200);
  });

  it('scopes data to the key tenant', async ({ app, kit }) => {
    const a = await kit.apiKey('tenant-a', 'write');
    const b = await kit.apiKey('tenant-b', 'write');
    await app.inject({ method: 'POST', url: '/things', headers: auth(a), payload: { name: 'alpha' } });
    expect((await app.inject({ url: '/things', headers: auth(a) })).json()).toEqual([{ name: 'alpha' }]);
    expect((await app.inject({ url: '/things', headers: auth(b) })).json()).toEqual([]);
  });

  it('answers bad input with a precise 400 and unknown routes with 404', async ({ app, kit }) => {
    const key = await kit.apiKey('acme', 'write');
    const bad = await app.inject({ method: 'POST', url: '/things', headers: auth(key), payload: { name: 'x', extra: 1 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('VALIDATION_FAILED');
    // The detail names the field and what is allowed (docs/API.md), one problem at a time.
    expect(bad.json().detail).toMatch(/unknown field `extra` in body; allowed: name/);
    const short = await app.inject({ method: 'POST', url: '/things', headers: auth(key), payload: { name: 'x' } });
    expect(short.statusCode).toBe(400);
    expect(short.json().detail).toMatch(/`name` in body must be at least 2 characters/);
    const broken = await app.inject({ method: 'POST', url: '/things', headers: { ...auth(key), 'content-type': 'application/json' }, payload: '{"name": ' });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().detail).toBeTruthy();
    const missing = await app.inject({ url: '/things/42', headers: auth(key) });
    expect(missing.json()).toMatchObject({ status: 404, code: 'KIT_THING_NOT_FOUND', detail: 'no such thing' });
    expect((await app.inject({ url: '/nowhere', headers: auth(key) })).json().code).toBe('ROUTE_NOT_FOUND');
  });

  it('masks 5xx details and echoes the request id', async ({ app, kit }) => {
    const key = await kit.apiKey('acme', 'read');
    const res = await app.inject({ url: '/boom', headers: { ...auth(key), 'x-request-id': 'req-123' } });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('secret internal detail');
    expect(res.json()).toMatchObject({ code: 'INTERNAL', requestId: 'req-123' });
    expect(res.headers['x-request-id']).toBe('req-123');
  });
});
