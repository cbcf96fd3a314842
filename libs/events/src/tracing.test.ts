// Trace context from kafkajs headers (Buffers, or arrays of them), read in place by the propagator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { propagation, trace, type TracerProvider } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { extractTraceContext, inProducerSpan, injectTraceHeaders, tracingEnabled } from './tracing.js';

const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
const spanId = '00f067aa0ba902b7';

beforeAll(() => {
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
});
afterAll(() => {
  propagation.disable();
});

describe('extractTraceContext', () => {
  it('reads traceparent from a Buffer header, from the first value of an array, and ignores other headers', () => {
    const fromBuffer = trace.getSpanContext(extractTraceContext({ traceparent: Buffer.from(`00-${traceId}-${spanId}-01`), 'x-extra': Buffer.from('Ping'), empty: undefined }));
    expect(fromBuffer).toMatchObject({ traceId, spanId, isRemote: true });
    const fromArray = trace.getSpanContext(extractTraceContext({ traceparent: [Buffer.from(`00-${traceId}-${spanId}-01`), Buffer.from(`00-${'1'.repeat(32)}-${'2'.repeat(16)}-01`)] }));
    expect(fromArray?.traceId).toBe(traceId);
  });

  it('gives no parent without a traceparent, or with a malformed one', () => {
    expect(trace.getSpanContext(extractTraceContext(undefined))).toBeUndefined();
    expect(trace.getSpanContext(extractTraceContext({ 'x-extra': Buffer.from('Ping') }))).toBeUndefined();
    expect(trace.getSpanContext(extractTraceContext({ traceparent: Buffer.from('00-nope-01') }))).toBeUndefined();
  });

  it('round-trips what injectTraceHeaders wrote', () => {
    const ctx = extractTraceContext({ traceparent: Buffer.from(`00-${traceId}-${spanId}-01`) });
    const headers = injectTraceHeaders({}, ctx);
    expect(headers.traceparent).toBe(`00-${traceId}-${spanId}-01`);
  });
});

describe('tracingEnabled (the consumer skips the span per handler call without it)', () => {
  it('is true with a propagator or a tracer provider registered, false with neither', async () => {
    expect(tracingEnabled()).toBe(true); // the W3C propagator of beforeAll
    propagation.disable();
    try {
      expect(tracingEnabled()).toBe(false);
      // Nothing to inject without tracing: a published message carries no trace headers.
      expect(await inProducerSpan('t', async (headers) => headers)).toEqual({});
      const tracer = trace.getTracer('other');
      const provider: TracerProvider = { getTracer: () => tracer };
      expect(trace.setGlobalTracerProvider(provider)).toBe(true);
      expect(tracingEnabled()).toBe(true);
      trace.disable();
      expect(tracingEnabled()).toBe(false);
    } finally {
      trace.disable();
      propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    }
  });
});
