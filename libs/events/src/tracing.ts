// W3C trace context in Kafka headers, so one trace spans HTTP -> Kafka -> consumer.
import { context, propagation, ROOT_CONTEXT, trace, SpanKind, SpanStatusCode, type Context } from '@opentelemetry/api';
import type { IHeaders } from 'kafkajs';

export const tracer = trace.getTracer('@vigil/events');

export function injectTraceHeaders(headers: Record<string, string>, ctx: Context = context.active()): Record<string, string> {
  propagation.inject(ctx, headers);
  return headers;
}

export function extractTraceContext(headers: IHeaders | undefined): Context {
  const carrier: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (v === undefined) continue;
    carrier[k] = Array.isArray(v) ? String(v[0]) : String(v);
  }
  return propagation.extract(ROOT_CONTEXT, carrier);
}

/** Runs `fn` inside a consumer span whose parent is the producer's trace. */
export async function inConsumerSpan<T>(topic: string, headers: IHeaders | undefined, fn: () => Promise<T>): Promise<T> {
  const parent = extractTraceContext(headers);
  return tracer.startActiveSpan(
    `process ${topic}`,
    { kind: SpanKind.CONSUMER, attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': topic } },
    parent,
    async (span) => {
      try {
        return await fn();
      } catch (err) {
        span.recordException(err as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
        throw err;
      } finally {
        span.end();
      }
    },
  );
}

/** A producer span; its context is what gets injected into the message headers. */
export async function inProducerSpan<T>(topic: string, fn: (headers: Record<string, string>) => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(
    `publish ${topic}`,
    { kind: SpanKind.PRODUCER, attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': topic } },
    async (span) => {
      try {
        return await fn(injectTraceHeaders({}));
      } finally {
        span.end();
      }
    },
  );
}
