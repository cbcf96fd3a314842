// Self-report: a service sends its own errors to a Sentry DSN (Vigil's "vigil" project, through
// error-ingest) and its HTTP metrics over OTLP to perf-collector. Both are off unless configured.
// The DSN may come from a file that appears later (the console's first-start seed writes it).
import { readFile } from 'node:fs/promises';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { AppError } from './errors.js';

export const SelfReportConfig = {
  VIGIL_SENTRY_DSN: Type.Optional(Type.String({ pattern: '^https?://', description: 'Sentry DSN this service reports its own errors to' })),
  VIGIL_SENTRY_DSN_FILE: Type.Optional(Type.String({ minLength: 1, description: 'File holding that DSN; checked every few seconds until it exists' })),
  VIGIL_SELF_METRICS_URL: Type.Optional(Type.String({ pattern: '^https?://', description: 'OTLP/HTTP metrics endpoint for own metrics (perf-collector /v1/metrics)' })),
  VIGIL_SELF_METRICS_KEY: Type.Optional(Type.String({ description: 'API key for that endpoint; default VIGIL_BOOTSTRAP_API_KEY' })),
  VIGIL_SELF_METRICS_INTERVAL_MS: Type.Integer({ default: 30_000, minimum: 100 }),
};

export interface SelfReportSettings {
  NODE_ENV: string;
  VIGIL_BOOTSTRAP_API_KEY?: string;
  VIGIL_SENTRY_DSN?: string;
  VIGIL_SENTRY_DSN_FILE?: string;
  VIGIL_SELF_METRICS_URL?: string;
  VIGIL_SELF_METRICS_KEY?: string;
  VIGIL_SELF_METRICS_INTERVAL_MS: number;
}

const NOT_MEASURED = new Set(['/healthz', '/readyz', '/metrics', '/v1/metrics']);
const DSN_POLL_MS = 3_000;

export function registerSelfReport(app: FastifyInstance, service: string, version: string, config: SelfReportSettings): void {
  reportErrors(app, service, version, config);
  const key = config.VIGIL_SELF_METRICS_KEY ?? config.VIGIL_BOOTSTRAP_API_KEY;
  if (config.VIGIL_SELF_METRICS_URL && key) exportMetrics(app, service, version, config.VIGIL_SELF_METRICS_URL, key, config.VIGIL_SELF_METRICS_INTERVAL_MS);
}

function reportErrors(app: FastifyInstance, service: string, version: string, config: SelfReportSettings): void {
  if (!config.VIGIL_SENTRY_DSN && !config.VIGIL_SENTRY_DSN_FILE) return;
  let sentry: typeof import('@sentry/node') | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const start = async (dsn: string) => {
    // Loaded only when used: services without a DSN do not pay for the SDK.
    const S = await import('@sentry/node');
    // The kit owns OpenTelemetry (tracing): the SDK must not install its own.
    S.init({
      dsn,
      release: `${service}@${version}`,
      environment: config.NODE_ENV,
      skipOpenTelemetrySetup: true,
      defaultIntegrations: false,
      // No global handlers: an unhandled rejection must still crash the process as it does without a DSN.
      integrations: [S.linkedErrorsIntegration(), S.dedupeIntegration()],
      initialScope: { tags: { service } },
    });
    sentry = S;
    app.log.info('reporting own errors to the configured Sentry DSN');
  };
  const poll = async () => {
    timer = undefined;
    const dsn = (await readFile(config.VIGIL_SENTRY_DSN_FILE!, 'utf8').catch(() => '')).trim();
    if (closed) return;
    if (/^https?:\/\//.test(dsn)) await start(dsn);
    else timer = setTimeout(() => void poll(), DSN_POLL_MS).unref();
  };
  if (config.VIGIL_SENTRY_DSN) void start(config.VIGIL_SENTRY_DSN);
  else void poll();

  app.addHook('onError', async (req, _reply, error) => {
    // Only server faults are reported: a 4xx AppError (bad input, sign-in needed) is the caller's, not Vigil's.
    const status = error instanceof AppError ? error.status : ((error as { statusCode?: number }).statusCode ?? 500);
    if (sentry && status >= 500) {
      sentry.captureException(error, { tags: { route: req.routeOptions.url ?? 'unknown', method: req.method }, extra: { requestId: req.id } });
    }
  });
  app.addHook('onClose', async () => {
    closed = true;
    clearTimeout(timer);
    await sentry?.close(2_000);
  });
}

function exportMetrics(app: FastifyInstance, service: string, version: string, url: string, key: string, intervalMs: number): void {
  let provider: import('@opentelemetry/sdk-metrics').MeterProvider | undefined;
  let duration: import('@opentelemetry/api').Histogram | undefined;
  app.addHook('onReady', async () => {
    const [{ MeterProvider, PeriodicExportingMetricReader }, { OTLPMetricExporter }, { resourceFromAttributes }] = await Promise.all([
      import('@opentelemetry/sdk-metrics'),
      import('@opentelemetry/exporter-metrics-otlp-http'),
      import('@opentelemetry/resources'),
    ]);
    provider = new MeterProvider({
      resource: resourceFromAttributes({ 'service.name': service, 'service.version': version }),
      readers: [new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter({ url, headers: { authorization: `Bearer ${key}` } }), exportIntervalMillis: intervalMs })],
    });
    duration = provider.getMeter('@vigil/service-kit').createHistogram('http.server.request.duration', {
      unit: 's',
      description: 'Duration of HTTP server requests',
      advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] },
    });
  });
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url;
    if (!duration || !route || NOT_MEASURED.has(route)) return;
    duration.record(reply.elapsedTime / 1000, { 'http.request.method': req.method, 'http.route': route, 'http.response.status_code': reply.statusCode });
  });
  app.addHook('onClose', async () => {
    await provider?.shutdown().catch(() => undefined);
  });
}
