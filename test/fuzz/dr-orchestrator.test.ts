// Fuzz of dr-orchestrator: every write route (policies, backups, verifications, drills). Repositories are confined to a folder that does not exist, so no generated policy writes anywhere.
import { expect } from 'vitest';
import { serviceTest } from '@vigil/service-kit/testing';
import { buildApp } from '../../services/dr-orchestrator/src/app.js';
import { loadServiceConfig } from '../../services/dr-orchestrator/src/config.js';
import { expectBounded } from './bounds.js';
import { fuzzService, fuzzTimeout } from './fuzz-service.js';
import { writeEndpoints } from './routes.js';

const test = serviceTest({ label: 'fuzzdr', env: { DATABASE_POOL_MAX: '5', DR_SCHEDULER_ENABLED: 'false', DR_REPOSITORY_ROOTS: '/nonexistent-fuzz-root' }, build: (env) => buildApp(loadServiceConfig(env)) });

test('dr-orchestrator: no 5xx, well-formed answers and safe headers for hostile input', { timeout: fuzzTimeout(30) }, async ({ app, kit }) => {
  const endpoints = writeEndpoints(app);
  expect(endpoints.length).toBeGreaterThan(3);
  const report = await fuzzService('dr-orchestrator', app, { apiKey: await kit.apiKey('acme', 'admin') }, endpoints);
  expectBounded(report);
});
