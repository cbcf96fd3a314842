// Kafka down (a private broker, never the shared one): intake and verification still commit,
// the fan-out waits in the outbox, and the request completes once the broker is back.
import { afterAll, beforeAll, beforeEach, describe, expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { dedicatedKafka, eventually, platformTest, type TestKit } from '@vigil/service-kit/testing';
import { buildApp } from '../src/app.js';
import { loadServiceConfig } from '../src/config.js';
import { participant, PARTICIPANT_MIGRATIONS, rowsFor, seedSubject } from './fixtures/participant.js';

// GDPR_OUTAGE_KAFKA_PORT: a port of the caller's own range on a shared machine (the controller takes the next one).
const kafka = dedicatedKafka(Number(process.env.GDPR_OUTAGE_KAFKA_PORT ?? 19492));
const it = platformTest({
  label: 'gdproutage',
  env: { KAFKA_BROKERS: kafka.brokers, GDPR_SCHEDULER_INTERVAL_MS: '600000', GDPR_CHECKPOINT_INTERVAL_MS: '600000' },
  migrationDirs: [PARTICIPANT_MIGRATIONS],
  apps: { gdpr: (env) => buildApp(loadServiceConfig(env)), shop: participant('shop') },
});
let gdpr: FastifyInstance;
let shop: FastifyInstance;
let headers: Record<string, string>;

// The private broker starts before the fixtures build the apps on it.
beforeAll(async () => {
  await kafka.start();
}, 240_000);

beforeEach<{ apps: { gdpr: FastifyInstance; shop: FastifyInstance }; kit: TestKit }>(async ({ apps, kit }) => {
  if (gdpr) return;
  ({ gdpr, shop } = apps);
  headers = await kit.auth('acme', 'write');
  await eventually(async () => ((await gdpr.inject({ url: '/v1/data-holders', headers })).json().items as unknown[]).length === 2, 60_000);
}, 240_000);

// The apps are closed here, while the broker is up, before it is destroyed (the fixture's own close is then a no-op).
afterAll(async () => {
  await kafka.start().catch(() => undefined);
  await Promise.all([gdpr, shop].map((a) => a?.close()));
  await kafka.destroy();
}, 240_000);

describe('broker outage', () => {
  it('accepts and verifies an erasure while Kafka is down and completes it after recovery', async () => {
    await seedSubject(shop, 'acme', 'gil@example.com', 'Gil');
    await kafka.stop();
    const consent = await gdpr.inject({
      method: 'POST',
      url: '/v1/consents',
      headers,
      payload: { subjectId: 'gil@example.com', purpose: 'newsletter', granted: false, noticeVersion: 'v2', channel: 'email', source: 'unsubscribe-link' },
    });
    expect(consent.statusCode).toBe(201);
    const intake = await gdpr.inject({ method: 'POST', url: '/v1/subject-requests', headers, payload: { kind: 'erasure', identifiers: [{ type: 'email', value: 'gil@example.com' }] } });
    expect(intake.statusCode).toBe(201);
    const { request, verificationToken } = intake.json();
    const verified = await gdpr.inject({ method: 'POST', url: `/v1/subject-requests/${request.id}/verify`, headers, payload: { token: verificationToken } });
    expect(verified.json()).toMatchObject({ state: 'in_progress', expectedServices: ['gdpr', 'shop'] });
    const { rows } = await gdpr.infra.pool.query(`SELECT count(*)::int AS n FROM gdpr.outbox WHERE topic = 'gdpr.subject-requests'`);
    expect(rows[0].n).toBe(1);
    expect(await rowsFor(shop, 'acme', 'gil@example.com')).toEqual({ contacts: 1, invoices: 1 });

    await kafka.start();
    await eventually(async () => (await gdpr.inject({ url: `/v1/subject-requests/${request.id}`, headers })).json().state === 'completed', 150_000, 500);
    expect(await rowsFor(shop, 'acme', 'gil@example.com')).toEqual({ contacts: 0, invoices: 0 });
  }, 240_000);
});
