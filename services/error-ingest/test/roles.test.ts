// ERRORS_ROLE: an ingest-role instance serves the Sentry paths and does not process; a process-role
// instance on the same database and topic processes what the other accepted and does not serve the
// Sentry paths. Intake and processing then scale apart.
import type { FastifyInstance } from 'fastify';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, eventually, testTemplate, TEST_BROKERS, type TestEnv } from '@vigil/service-kit/testing';
import { buildApp } from '../src/app.js';
import { loadServiceConfig } from '../src/config.js';
import { createProject, envelopeOf, errorEvent, sendEnvelope, sentryAuth, type Fixture } from './fixtures.js';

let env: TestEnv;
let ingestApp: FastifyInstance;
let processApp: FastifyInstance;
let f: Fixture;

beforeAll(async () => {
  const template = await testTemplate({ label: 'errors', build: async (e) => [await buildApp(loadServiceConfig(e))] });
  env = await createTestEnv('errors', { template });
  ingestApp = await buildApp(loadServiceConfig({ ...env.env, ERRORS_ROLE: 'ingest' }));
  processApp = await buildApp(loadServiceConfig({ ...env.env, ERRORS_ROLE: 'process' }));
  await ingestApp.ready();
  await processApp.ready();
  const auth = { authorization: `Bearer ${await env.apiKey('acme', 'admin')}` };
  f = { env, app: ingestApp, auth, project: await createProject(ingestApp, auth, 'roles') };
}, 180_000);

afterAll(async () => {
  await ingestApp?.close();
  await processApp?.close();
  await env?.cleanup();
}, 60_000);

async function groupMembers(): Promise<Map<string, string[]>> {
  const admin = new Kafka({ brokers: TEST_BROKERS.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const ids = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(env.namespace));
    const { groups } = await admin.describeGroups(ids);
    return new Map(groups.map((g) => [g.groupId, g.members.map((m) => m.clientId)]));
  } finally {
    await admin.disconnect();
  }
}

describe('ERRORS_ROLE', () => {
  it('accepts on the ingest instance and processes on the process instance', async () => {
    for (let n = 0; n < 5; n++) expect((await sendEnvelope(f, errorEvent({ exception: { values: [{ type: 'RoleSplit', value: `${n}` }] } }))).statusCode).toBe(200);
    const issues = await eventually(async () => {
      const res = await processApp.inject({ url: `/v1/projects/${f.project.id}/issues?limit=10`, headers: f.auth });
      const items = res.json().items as { count: number }[];
      return items.reduce((a, i) => a + i.count, 0) === 5 ? items : undefined;
    }, 60_000, 200);
    expect(issues).toHaveLength(1);

    // Processing has run (positive signal above): only the process instance is in the consumer groups.
    const members = await groupMembers();
    expect(members.size).toBeGreaterThan(0);
    expect([...members.values()].every((clients) => clients.length === 1)).toBe(true);

    // The process instance does not serve the Sentry paths; the /v1 API and health are served by both.
    const refused = await processApp.inject({ method: 'POST', url: f.project.dsnPath, headers: sentryAuth(f.project.publicKey), payload: envelopeOf(errorEvent()) });
    expect(refused.statusCode).toBe(404);
    expect((await ingestApp.inject({ url: `/v1/projects/${f.project.id}/issues?limit=10`, headers: f.auth })).statusCode).toBe(200);
    expect((await processApp.inject({ url: '/readyz' })).statusCode).toBe(200);
  });
});
