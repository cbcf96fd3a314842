// OpenTelemetry tracing: W3C context propagation on HTTP and Kafka, exported over OTLP when configured.
import { context, propagation, trace, SpanKind, SpanStatusCode, type Context } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { FastifyInstance } from 'fastify';

let provider: NodeTracerProvider | undefined;

/** Registers the global tracer provider once per process. Extra processors are for tests. */
export function initTelemetry(service: string, otlpEndpoint?: string, extra: SpanProcessor[] = []): NodeTracerProvider {
  if (provider) return provider;
  const spanProcessors: SpanProcessor[] = [...extra];
  if (otlpEndpoint) spanProcessors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url: `${otlpEndpoint.replace(/\/$/, '')}/v1/traces` })));
  provider = new NodeTracerProvider({ resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: service }), spanProcessors });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  return provider;
}

declare module 'fastify' {
  interface FastifyRequest {
    otelContext: Context;
  }
}

/**
 * A server span per request, parented on the incoming `traceparent`; each handler runs
 * inside its context so that events published from it carry the same trace.
 */
export function registerTracing(app: FastifyInstance): void {
  const tracer = trace.getTracer('@vigil/service-kit');
  app.decorateRequest('otelContext', null as unknown as Context);
  app.addHook('onRequest', async (req) => {
    const parent = propagation.extract(context.active(), req.headers);
    const span = tracer.startSpan(`${req.method} ${req.routeOptions.url ?? 'unknown'}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method } }, parent);
    req.otelContext = trace.setSpan(parent, span);
  });
  app.addHook('onResponse', async (req, reply) => {
    const span = trace.getSpan(req.otelContext);
    span?.setAttribute('http.response.status_code', reply.statusCode);
    if (reply.statusCode >= 500) span?.setStatus({ code: SpanStatusCode.ERROR });
    span?.end();
  });
  app.addHook('onRoute', (route) => {
    const handler = route.handler;
    route.handler = function tracedHandler(this: unknown, req, reply) {
      return context.with(req.otelContext ?? context.active(), () => handler.call(this as never, req, reply));
    };
  });
}
