// Fuzz of alerting: every write route (Alertmanager v2 ingest, events, rules, silences, receivers, routing, …).
import { expect } from 'vitest';
import { serviceTest } from '@vigil/service-kit/testing';
import { buildApp } from '../../services/alerting/src/app.js';
import { loadServiceConfig } from '../../services/alerting/src/config.js';
import { expectBounded } from './bounds.js';
import { fuzzService, fuzzTimeout } from './fuzz-service.js';
import { writeEndpoints } from './routes.js';

const test = serviceTest({ label: 'fuzzalerting', env: { DATABASE_POOL_MAX: '5', ALERTING_EXTERNAL_URL: 'http://vigil.test' }, build: (env) => buildApp(loadServiceConfig(env)) });

test('alerting: no 5xx, well-formed answers and safe headers for hostile input', { timeout: fuzzTimeout(30) }, async ({ app, kit }) => {
  const endpoints = writeEndpoints(app);
  expect(endpoints.length).toBeGreaterThan(3);
  const report = await fuzzService('alerting', app, { apiKey: await kit.apiKey('acme', 'admin') }, endpoints);
  expectBounded(report);
});
