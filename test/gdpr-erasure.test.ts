// End-to-end erasure through the real broker: gdpr fans a verified request out to every
// registered holder that handles erasure (error-ingest, perf-collector and gdpr itself;
// dr-orchestrator registers for exports only, its backups being retained);
// error-ingest erases the subject's events; every receipt lands in gdpr's hash-chained log.
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { eventually, platformTest } from '@vigil/service-kit/testing';
import * as dr from '../services/dr-orchestrator/src/app.js';
import { loadServiceConfig as drConfig } from '../services/dr-orchestrator/src/config.js';
import * as errorIngest from '../services/error-ingest/src/app.js';
import { loadServiceConfig as errorIngestConfig } from '../services/error-ingest/src/config.js';
import * as gdpr from '../services/gdpr/src/app.js';
import { loadServiceConfig as gdprConfig } from '../services/gdpr/src/config.js';
import * as perf from '../services/perf-collector/src/app.js';
import { loadServiceConfig as perfConfig } from '../services/perf-collector/src/config.js';

const it = platformTest({
  label: 'e2eerase',
  apps: {
    gdpr: (env) => gdpr.buildApp(gdprConfig(env)),
    errors: (env) => errorIngest.buildApp(errorIngestConfig(env)),
    perf: (env) => perf.buildApp(perfConfig({ ...env, PERF_COLLECTOR_ENABLED: 'false' })),
    dr: (env) => dr.buildApp(drConfig({ ...env, DR_SCHEDULER_ENABLED: 'false' })),
  },
});

it('erases a subject across error-ingest and the other holders, with every receipt in the audit log', async ({ apps, kit }) => {
  const auth = await kit.auth('acme', 'admin');
  const email = `jane.${randomBytes(3).toString('hex')}@example.com`;
  const errors = apps.errors;

  // Every service registered as a data holder through Kafka.
  await eventually(async () => {
    const holders = (await apps.gdpr.inject({ url: '/v1/data-holders', headers: auth })).json().items as { service: string }[];
    return holders.length === 4;
  }, 60_000);

  // The subject's error event, sent the way a Sentry SDK sends it.
  const project = (await errors.inject({ method: 'POST', url: '/v1/projects', headers: auth, payload: { name: 'shop' } })).json() as { id: string };
  const key = (await errors.inject({ method: 'POST', url: `/v1/projects/${project.id}/keys`, headers: auth, payload: { label: 'web' } })).json() as { publicKey: string };
  const eventId = randomBytes(16).toString('hex');
  const sent = await errors.inject({
    method: 'POST',
    url: `/api/${project.id}/store/`,
    headers: { 'x-sentry-auth': `Sentry sentry_version=7, sentry_key=${key.publicKey}`, 'content-type': 'application/json' },
    payload: { event_id: eventId, level: 'error', message: 'checkout failed', user: { email, id: 'u-42' }, platform: 'node' },
  });
  expect(sent.statusCode).toBe(200);
  const issueEvents = async () => {
    const list = (await errors.inject({ url: `/v1/projects/${project.id}/issues`, headers: auth })).json().items as { id: string }[];
    let total = 0;
    for (const issue of list) {
      const page = (await errors.inject({ url: `/v1/projects/${project.id}/issues/${issue.id}/events`, headers: auth })).json() as { items: unknown[] };
      total += page.items.length;
    }
    return total;
  };
  await eventually(async () => (await issueEvents()) === 1, 60_000);

  // Erasure request: intake, identity verification, fan-out, receipts.
  const intake = await apps.gdpr.inject({
    method: 'POST',
    url: '/v1/subject-requests',
    headers: auth,
    payload: { kind: 'erasure', identifiers: [{ type: 'email', value: email }] },
  });
  expect(intake.statusCode).toBe(201);
  const { request, verificationToken } = intake.json() as { request: { id: string }; verificationToken: string };
  const verified = await apps.gdpr.inject({ method: 'POST', url: `/v1/subject-requests/${request.id}/verify`, headers: auth, payload: { token: verificationToken } });
  expect(verified.statusCode).toBe(200);

  const done = await eventually(
    async () => {
      const detail = (await apps.gdpr.inject({ url: `/v1/subject-requests/${request.id}`, headers: auth })).json() as {
        state: string;
        expectedServices: string[];
        receipts: { service: string; status: string; tables: { table: string; rows: number; action: string }[] }[];
      };
      return detail.state === 'completed' ? detail : undefined;
    },
    90_000,
    250,
  );
  expect(done.expectedServices.sort()).toEqual(['error-ingest', 'gdpr', 'perf-collector']);
  expect(done.receipts.map((r) => r.service).sort()).toEqual(['error-ingest', 'gdpr', 'perf-collector']);
  const fromErrors = done.receipts.find((r) => r.service === 'error-ingest')!;
  expect(fromErrors.status).toBe('completed');
  expect(fromErrors.tables.find((t) => t.table === 'errors.events')).toMatchObject({ rows: 1, action: 'erased' });

  // The data is gone from error-ingest.
  expect(await issueEvents()).toBe(0);

  // Every receipt is an entry of the tenant's chain, which still verifies.
  const entries = (await apps.gdpr.inject({ url: '/v1/audit/entries?topic=gdpr.request-receipts&limit=1000', headers: auth })).json().items as unknown[];
  const text = JSON.stringify(entries);
  for (const service of ['error-ingest', 'perf-collector', 'gdpr']) expect(text).toContain(service);
  expect(text).not.toContain(email);
  const verify = (await apps.gdpr.inject({ url: '/v1/audit/verify', headers: auth })).json() as { valid: boolean; entries: number };
  expect(verify.valid).toBe(true);
  expect(verify.entries).toBeGreaterThanOrEqual(3);
}, 300_000);
