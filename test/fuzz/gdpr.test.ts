// Fuzz of gdpr: every write route (consents, subject requests, holds, records, breaches, …).
import { expect } from 'vitest';
import { serviceTest } from '@vigil/service-kit/testing';
import { buildApp } from '../../services/gdpr/src/app.js';
import { loadServiceConfig } from '../../services/gdpr/src/config.js';
import { expectBounded } from './bounds.js';
import { fuzzService, fuzzTimeout } from './fuzz-service.js';
import { writeEndpoints } from './routes.js';

const test = serviceTest({ label: 'fuzzgdpr', env: { DATABASE_POOL_MAX: '5' }, build: (env) => buildApp(loadServiceConfig(env)) });

test('gdpr: no 5xx, well-formed answers and safe headers for hostile input', { timeout: fuzzTimeout(30) }, async ({ app, kit }) => {
  const endpoints = writeEndpoints(app);
  expect(endpoints.length).toBeGreaterThan(3);
  const report = await fuzzService('gdpr', app, { apiKey: await kit.apiKey('acme', 'admin') }, endpoints);
  expectBounded(report);
});

test('regression: U+0000 in a stored string is a 400 naming the problem, not a 500 from PostgreSQL', async ({ app, kit }) => {
  const headers = await kit.auth('acme', 'admin');
  const payload = {
    controller: { name: 'Acme', contact: 'nul\u0000here' },
    purposes: ['p'],
    dataSubjectCategories: ['customers'],
    dataCategories: ['contact'],
    recipients: ['r'],
    thirdCountryTransfers: [],
    retention: '1 year',
    securityMeasures: 'tls',
  };
  const res = await app.inject({ method: 'PUT', url: '/v1/processing-records/fuzz', headers, payload });
  expect(res.statusCode).toBe(400);
  expect(res.json()).toMatchObject({ code: 'VALUE_NOT_STORABLE', detail: expect.stringContaining('\\u0000 cannot be converted to text') });
});
