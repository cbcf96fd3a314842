// One OpenTelemetry trace spans HTTP -> outbox -> Kafka -> consumer: the consumer's span
// shares the trace id of the incoming `traceparent`.
import { expect, onTestFinished } from 'vitest';
import { trace } from '@opentelemetry/api';
import { initTelemetry } from '@vigil/service-kit';
import { eventually, InMemorySpanExporter, serviceTest, SimpleSpanProcessor } from '@vigil/service-kit/testing';
import { ConsentChanged } from '@vigil/events';
import { buildApp } from '../services/gdpr/src/app.js';
import { loadServiceConfig } from '../services/gdpr/src/config.js';
import { testBus } from '../libs/events/test/fixtures/harness.js';

const exporter = new InMemorySpanExporter();
initTelemetry('trace-test', undefined, [new SimpleSpanProcessor(exporter)]);

const it = serviceTest({ label: 'trace', build: (env) => buildApp(loadServiceConfig(env)) });
const consumerTraceIds: string[] = [];

it('carries the W3C trace context from the HTTP request to the Kafka consumer', async ({ app, kit }) => {
  const reader = testBus(kit.namespace, undefined, 'trace-reader');
  reader.subscribe(ConsentChanged, async () => {
    consumerTraceIds.push(trace.getActiveSpan()?.spanContext().traceId ?? 'none');
  });
  await reader.start();
  onTestFinished(() => reader.stop());
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const key = await kit.apiKey('acme', 'write');
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
