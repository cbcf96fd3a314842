// One OpenTelemetry trace spans HTTP -> outbox -> Kafka -> consumer: the consumer's span
// shares the trace id of the incoming `traceparent`.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { trace } from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';
import { initTelemetry } from '@vigil/service-kit';
import { createTestEnv, eventually, InMemorySpanExporter, SimpleSpanProcessor, type TestEnv } from '@vigil/service-kit/testing';
import { ConsentChanged, type EventBus } from '@vigil/events';
import { buildApp } from '../services/gdpr/src/app.js';
import { loadServiceConfig } from '../services/gdpr/src/config.js';
import { testBus } from '../libs/events/test/fixtures/harness.js';

const exporter = new InMemorySpanExporter();
initTelemetry('trace-test', undefined, [new SimpleSpanProcessor(exporter)]);

let env: TestEnv;
let app: FastifyInstance;
let reader: EventBus;
const consumerTraceIds: string[] = [];

beforeAll(async () => {
  env = await createTestEnv('trace');
  app = await buildApp(loadServiceConfig(env.env));
  await app.ready();
  reader = testBus(env.namespace, undefined, 'trace-reader');
  reader.subscribe(ConsentChanged, async () => {
    consumerTraceIds.push(trace.getActiveSpan()?.spanContext().traceId ?? 'none');
  });
  await reader.start();
});

afterAll(async () => {
  await reader?.stop();
  await app?.close();
  await env?.cleanup();
});

it('carries the W3C trace context from the HTTP request to the Kafka consumer', async () => {
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const key = await env.apiKey('acme', 'write');
  const res = await app.inject({
    method: 'POST',
    url: '/v1/consents',
    headers: { authorization: `Bearer ${key}`, traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    payload: { subjectId: 'user-1', purpose: 'marketing', granted: true, noticeVersion: 'v3', channel: 'web', source: 'signup-form' },
  });
  expect(res.statusCode).toBe(201);
  await eventually(async () => consumerTraceIds.length > 0);
  expect(consumerTraceIds[0]).toBe(traceId);
  const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
  expect(spans.map((s) => s.name)).toEqual(expect.arrayContaining(['POST /v1/consents', 'process gdpr.consent']));
});
