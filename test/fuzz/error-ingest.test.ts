// Fuzz of error-ingest: the public Sentry endpoints (with and without a valid DSN key) and every
// write route of its API.
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { serviceTest } from '@vigil/service-kit/testing';
import { buildApp } from '../../services/error-ingest/src/app.js';
import { loadServiceConfig } from '../../services/error-ingest/src/config.js';
import { fuzzService, fuzzTimeout } from './fuzz-service.js';
import { writeEndpoints } from './routes.js';
import { expectBounded } from './bounds.js';
import { parseResponse, send } from './wire.js';

const test = serviceTest({ label: 'fuzzerrors', env: { DATABASE_POOL_MAX: '5' }, build: (env) => buildApp(loadServiceConfig(env)) });
const SENTRY = ['/api/{projectId}/envelope/', '/api/{projectId}/store/'];

test('error-ingest: no 5xx, well-formed answers and safe headers for hostile input', { timeout: fuzzTimeout(15) }, async ({ app, kit }) => {
  const apiKey = await kit.apiKey('acme', 'admin');
  const headers = { authorization: `Bearer ${apiKey}` };
  const project = await app.inject({ method: 'POST', url: '/v1/projects', headers, payload: { name: 'fuzz' } });
  expect(project.statusCode).toBe(201);
  const projectId = project.json().id as string;
  const key = await app.inject({ method: 'POST', url: `/v1/projects/${projectId}/keys`, headers, payload: { label: 'fuzz' } });
  expect(key.statusCode).toBe(201);
  const publicKey = key.json().publicKey as string;
  const endpoints = writeEndpoints(app, SENTRY);
  expect(endpoints.map((e) => e.path)).toEqual(expect.arrayContaining(SENTRY));
  const report = await fuzzService('error-ingest', app, {
    apiKey,
    knownIds: { projectId: [projectId], id: [projectId], keyId: [key.json().id as string] },
    knownHeaders: { 'x-sentry-auth': [`Sentry sentry_version=7, sentry_client=fuzz/1.0, sentry_key=${publicKey}`], sentry_key: [publicKey] },
  }, endpoints);
  expectBounded(report);
});

test('regression: X-Sentry-Error quoting input beyond Latin-1 is a safe header on a real socket', async ({ app }) => {
  await app.listen({ port: 0, host: '127.0.0.1' }).catch(() => undefined); // already listening when the fuzz test ran first
  const port = (app.server.address() as AddressInfo).port;
  const raw = await send(port, { method: 'POST', path: '/api/1/envelope/', headers: [['content-type', 'application/x-sentry-envelope']], body: Buffer.from('\u{1f600}\r\n{"x"\u00a7') });
  const res = parseResponse(raw, 'POST');
  expect(res.status).toBe(400);
  const header = res.headers.find(([k]) => k === 'x-sentry-error')?.[1];
  expect(header).toMatch(/^envelope header is not valid JSON: .*\\ud83d\\ude00/);
});

test('regression: an event nested 6,000 levels deep is a 400 naming the limit on both Sentry endpoints, not a 500', async ({ app, kit }) => {
  const headers = { authorization: `Bearer ${await kit.apiKey('acme', 'admin')}` };
  const project = await app.inject({ method: 'POST', url: '/v1/projects', headers, payload: { name: 'deep' } });
  const projectId = project.json().id as string;
  const key = await app.inject({ method: 'POST', url: `/v1/projects/${projectId}/keys`, headers, payload: { label: 'deep' } });
  const auth = { 'x-sentry-auth': `Sentry sentry_version=7, sentry_client=fuzz/1.0, sentry_key=${key.json().publicKey as string}` };
  const deep = '{"a":'.repeat(6000) + '1' + '}'.repeat(6000);
  const store = await app.inject({ method: 'POST', url: `/api/${projectId}/store/`, headers: { ...auth, 'content-type': 'application/json' }, payload: deep });
  const envelope = await app.inject({ method: 'POST', url: `/api/${projectId}/envelope/`, headers: { ...auth, 'content-type': 'application/x-sentry-envelope' }, payload: `{}\n{"type":"event"}\n${deep}\n` });
  for (const res of [store, envelope]) {
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'ERRORS_EVENT_INVALID' });
    expect(res.headers['x-sentry-error']).toContain('deeper than 128 levels');
  }
  // The same event at an ordinary depth is accepted: the limit, not the endpoint, refused it.
  const shallow = await app.inject({ method: 'POST', url: `/api/${projectId}/store/`, headers: { ...auth, 'content-type': 'application/json' }, payload: '{"a":'.repeat(100) + '1' + '}'.repeat(100) });
  expect(shallow.statusCode).toBe(200);
});
