// W3C trace context in Kafka headers, so one trace spans HTTP -> Kafka -> consumer.
import { context, propagation, ProxyTracerProvider, ROOT_CONTEXT, trace, SpanKind, SpanStatusCode, type Context, type TextMapGetter } from '@opentelemetry/api';
import type { IHeaders } from 'kafkajs';

const TRACER_NAME = '@vigil/events';
export const tracer = trace.getTracer(TRACER_NAME);

/**
 * Whether a span can matter: a tracer provider (an SDK) or a propagator is registered. Without
 * either, `startActiveSpan` only makes a non-recording span around the call and the headers hold no
 * trace context to extract or inject, so the consumer calls the handler directly (1–2 µs a message).
 * Cheap enough to ask per kafkajs batch and per publish: an SDK registered later is picked up.
 */
export function tracingEnabled(): boolean {
  if (propagation.fields().length > 0) return true;
  const provider = trace.getTracerProvider();
  // Another provider than the API's proxy (another copy of @opentelemetry/api): assume it records.
  return !(provider instanceof ProxyTracerProvider) || provider.getDelegateTracer(TRACER_NAME) !== undefined;
}

export function injectTraceHeaders(headers: Record<string, string>, ctx: Context = context.active()): Record<string, string> {
  propagation.inject(ctx, headers);
  return headers;
}

// Reads the kafkajs headers in place: the propagator asks for one or two keys (traceparent,
// tracestate), so copying every header into a string map per message is wasted work.
const kafkaHeaderGetter: TextMapGetter<IHeaders> = {
  keys: (headers) => Object.keys(headers).filter((k) => headers[k] !== undefined),
  get: (headers, key) => {
    const v = headers[key];
    if (v === undefined) return undefined;
    return Array.isArray(v) ? String(v[0]) : String(v);
  },
};

export function extractTraceContext(headers: IHeaders | undefined): Context {
  return propagation.extract(ROOT_CONTEXT, headers ?? {}, kafkaHeaderGetter);
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

/** A producer span; its context is what gets injected into the message headers (none without tracing). */
export async function inProducerSpan<T>(topic: string, fn: (headers: Record<string, string>) => Promise<T>): Promise<T> {
  if (!tracingEnabled()) return fn({});
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
