// /readyz names the dependency that fails, without the driver's message.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { Type } from '@sinclair/typebox';
import { BaseConfig, createServiceApp, loadConfig } from '../src/index.js';
import { serviceTest } from '../src/testing/index.js';

const MIGRATIONS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/migrations');
const build = (env: Record<string, string>) =>
  createServiceApp({ name: 'kit-health', schema: 'kit_test', version: '0', description: 'health test', config: loadConfig({ ...BaseConfig, PORT: Type.Integer({ default: 0 }) }, env), migrationsDir: MIGRATIONS });

// Redis on a port where nothing listens: the app boots (Redis is optional at boot) but is not ready.
const it = serviceTest({ label: 'kithealth', build, env: { REDIS_URL: 'redis://127.0.0.1:9' } });

it('answers 503 naming the failing dependency, without raw driver messages', async ({ app }) => {
  const res = await app.inject({ url: '/readyz' });
  expect(res.statusCode).toBe(503);
  const body = res.json();
  expect(body.status).toBe('unavailable');
  expect(body.checks.postgres).toBe('ok');
  expect(body.checks.kafka).toBe('ok');
  expect(body.checks.redis).toMatch(/^(unreachable|timeout)$/);
  expect(body.detail).toMatch(/^not ready: redis (unreachable|timeout)$/);
  expect(res.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1:9|Error/);
  expect((await app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
});
