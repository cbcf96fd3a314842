// Kafka down (a private broker, never the shared one): intake and verification still commit,
// the fan-out waits in the outbox, and the request completes once the broker is back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTestEnv, dedicatedKafka, eventually, type TestEnv } from '@vigil/service-kit/testing';
import { buildApp } from '../src/app.js';
import { loadServiceConfig } from '../src/config.js';
import { buildParticipant, precreateTopics, readyWithRetry, rowsFor, seedSubject } from './fixtures/participant.js';

const kafka = dedicatedKafka(19492);
let env: TestEnv;
let gdpr: FastifyInstance;
let shop: FastifyInstance;
let headers: Record<string, string>;

beforeAll(async () => {
  await kafka.start();
  env = await createTestEnv('gdproutage');
  const cfg = { ...env.env, KAFKA_BROKERS: kafka.brokers, GDPR_SCHEDULER_INTERVAL_MS: '600000', GDPR_CHECKPOINT_INTERVAL_MS: '600000' };
  await precreateTopics(cfg);
  gdpr = await readyWithRetry(() => buildApp(loadServiceConfig(cfg)));
  shop = await buildParticipant('shop', cfg);
  headers = { authorization: `Bearer ${await env.apiKey('acme', 'write')}` };
  await eventually(async () => ((await gdpr.inject({ url: '/v1/data-holders', headers })).json() as unknown[]).length === 2, 60_000);
}, 240_000);

afterAll(async () => {
  await kafka.start().catch(() => undefined);
  await Promise.all([gdpr, shop].map((a) => a?.close()));
  await env?.cleanup();
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
