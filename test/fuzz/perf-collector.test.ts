// Fuzz of perf-collector: every write route, OTLP/HTTP ingest (protobuf and JSON) included.
import { expect } from 'vitest';
import { serviceTest } from '@vigil/service-kit/testing';
import { buildApp } from '../../services/perf-collector/src/app.js';
import { loadServiceConfig } from '../../services/perf-collector/src/config.js';
import { expectBounded } from './bounds.js';
import { fuzzService, fuzzTimeout } from './fuzz-service.js';
import { writeEndpoints } from './routes.js';

const test = serviceTest({ label: 'fuzzperf', env: { DATABASE_POOL_MAX: '5', PERF_COLLECTOR_ENABLED: 'false' }, build: (env) => buildApp(loadServiceConfig(env)) });

test('perf-collector: no 5xx, well-formed answers and safe headers for hostile input', { timeout: fuzzTimeout(30) }, async ({ app, kit }) => {
  const endpoints = writeEndpoints(app);
  expect(endpoints.length).toBeGreaterThan(3);
  const report = await fuzzService('perf-collector', app, { apiKey: await kit.apiKey('acme', 'admin') }, endpoints);
  expectBounded(report);
});

test('regression: a gzip-declared body that is not gzip, of a type the route does not parse, is a 415 and nothing crashes', async ({ app, kit }) => {
  const headers = { ...(await kit.auth('acme', 'write')), 'content-type': 'application/xml', 'content-encoding': 'gzip' };
  const res = await app.inject({ method: 'POST', url: '/v1/metrics', headers, payload: 'this is not gzip' });
  expect(res.statusCode).toBe(415);
  // The gunzip stream's error fires after the answer: the process must still be here to answer this.
  await new Promise((r) => setTimeout(r, 50));
  expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
});
