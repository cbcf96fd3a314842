// OTLP/HTTP ingest with the real OpenTelemetry JS SDK and exporters (JSON and protobuf), plus
// partial success, size limits, compression, and bad input.
import { gzipSync } from 'node:zlib';
import { describe, expect } from 'vitest';
import { OTLPMetricExporter as JsonExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { ApmMetricsReceived } from '@vigil/events';
import { eventually } from '@vigil/service-kit/testing';
import { buildPerf, perfTest } from './fixtures/app.js';
import { decodeMetricsResponse, encodeMetricsRequest } from '../src/domain/otlp-codec.js';
import { subjectData } from '../src/operations/subject-data.js';

const received: { service: string; samples: { name: string; value: number }[] }[] = [];
const MAX_BYTES = 64 * 1024;

/** The app on a real port (the OpenTelemetry exporters speak HTTP), and a write key's Authorization header. */
interface Server {
  base: string;
  auth: { Authorization: string };
}

const it = perfTest({
  env: { PERF_COLLECTOR_ENABLED: 'false', PERF_OTLP_MAX_BYTES: String(MAX_BYTES) },
  build: async (env) => {
    const app = await buildPerf(env);
    app.infra.bus.subscribe(ApmMetricsReceived, async (e) => void received.push(e.data), { group: 'perf-test-apm' });
    return app;
  },
}).extend<{ srv: Server }>({
  srv: [
    async ({ app, kit }, use) => {
      await app.listen({ host: '127.0.0.1', port: 0 });
      const addr = app.server.address() as { port: number };
      await use({ base: `http://127.0.0.1:${addr.port}`, auth: { Authorization: `Bearer ${await kit.apiKey('acme', 'write')}` } });
    },
    { scope: 'file' },
  ],
});

/** A sample app: 10 requests of which 2 fail with 500, latencies 10-100 ms, exported once. */
async function runSampleApp(service: string, exporter: PushMetricExporter) {
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
  const provider = new MeterProvider({ resource: resourceFromAttributes({ 'service.name': service }), readers: [reader] });
  const meter = provider.getMeter('sample-app');
  const duration = meter.createHistogram('http.server.request.duration', { unit: 's', advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25] } });
  const active = meter.createUpDownCounter('http.server.active_requests');
  for (let i = 1; i <= 10; i++) {
    const status = i > 8 ? 500 : 200;
    duration.record(i / 100, { 'http.request.method': 'GET', 'http.route': '/orders', 'http.response.status_code': status });
  }
  active.add(3);
  await provider.forceFlush();
  await provider.shutdown();
}

async function service(srv: Server, name: string) {
  const res = await fetch(`${srv.base}/v1/apm/services/${name}`, { headers: srv.auth });
  return (await res.json()) as { latest: null | { requests: number; errors: number; errorRate: number; throughput: number; latencyMeanMs: number; latencyP95Ms: number }; metrics: { metric: string }[] };
}

describe('OTLP ingest with the real exporters', () => {
  it.for([
    ['checkout', 'JSON', (url: string, auth: Server['auth']) => new JsonExporter({ url, headers: auth })],
    ['billing', 'protobuf', (url: string, auth: Server['auth']) => new ProtoExporter({ url, headers: auth })],
  ] as const)('%s over %s: latency histogram, throughput and error rate arrive', async ([name, _format, make], { srv }) => {
    await runSampleApp(name, make(`${srv.base}/v1/metrics`, srv.auth));
    const s = await eventually(async () => (await service(srv, name)).latest && service(srv, name));
    expect(s.latest).toMatchObject({ requests: 10, errors: 2, errorRate: 0.2 });
    expect(s.latest!.latencyMeanMs).toBeCloseTo(55, 5);
    expect(s.latest!.latencyP95Ms).toBeGreaterThan(75);
    expect(s.latest!.latencyP95Ms).toBeLessThanOrEqual(100);
    expect(s.latest!.throughput).toBeGreaterThan(0);
    expect(s.metrics.map((m) => m.metric).sort()).toEqual(['http.server.active_requests', 'http.server.request.duration']);
    const event = await eventually(async () => received.find((e) => e.service === name));
    expect(event.samples).toEqual(expect.arrayContaining([{ name: 'requests', value: 10 }, { name: 'errors', value: 2 }, { name: 'error_rate', value: 0.2 }]));
  });
});

const point = (ns: string | undefined, value: number) => ({ ...(ns ? { timeUnixNano: ns } : {}), asDouble: value });
const request = (service: string) => ({
  resourceMetrics: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
      scopeMetrics: [{ metrics: [{ name: 'queue.depth', gauge: { dataPoints: [point(`${BigInt(Date.now()) * 1_000_000n}`, 4), point(undefined, 5)] } }] }],
    },
  ],
});

describe('OTLP partial success and bad input', () => {
  it('JSON: keeps the good points and reports the rejected ones', async ({ srv }) => {
    const res = await fetch(`${srv.base}/v1/metrics`, { method: 'POST', headers: { ...srv.auth, 'content-type': 'application/json' }, body: JSON.stringify(request('queue-json')) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ partialSuccess: { rejectedDataPoints: 1, errorMessage: 'data point of queue.depth without a valid timeUnixNano' } });
    expect((await service(srv, 'queue-json')).metrics).toEqual([expect.objectContaining({ metric: 'queue.depth', points: 1 })]);
  });

  it('protobuf (gzip): the same, with a protobuf ExportMetricsServiceResponse', async ({ srv }) => {
    const body = new Uint8Array(gzipSync(encodeMetricsRequest(request('queue-proto'))));
    const res = await fetch(`${srv.base}/v1/metrics`, { method: 'POST', headers: { ...srv.auth, 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' }, body });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-protobuf');
    const decoded = decodeMetricsResponse(new Uint8Array(await res.arrayBuffer()));
    expect(decoded.partialSuccess).toEqual({ rejectedDataPoints: '1', errorMessage: 'data point of queue.depth without a valid timeUnixNano' });
  });

  it('answers bad input with precise 4xx problems', async ({ srv }) => {
    const post = (headers: Record<string, string>, body: string | Buffer) => fetch(`${srv.base}/v1/metrics`, { method: 'POST', headers, body: typeof body === 'string' ? body : new Uint8Array(body) });
    const noAuth = await post({ 'content-type': 'application/json' }, '{}');
    expect(noAuth.status).toBe(401);
    const garbage = await post({ ...srv.auth, 'content-type': 'application/x-protobuf' }, Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]));
    expect(garbage.status).toBe(400);
    expect(((await garbage.json()) as { code: string }).code).toBe('PERF_OTLP_INVALID');
    const text = await post({ ...srv.auth, 'content-type': 'text/plain' }, 'hello');
    expect(text.status).toBe(415);
    expect(text.headers.get('content-type')).toContain('application/problem+json');
    const huge = await post({ ...srv.auth, 'content-type': 'application/json' }, JSON.stringify({ resourceMetrics: [], pad: 'x'.repeat(MAX_BYTES) }));
    expect(huge.status).toBe(413);
    const bomb = await post({ ...srv.auth, 'content-type': 'application/json', 'content-encoding': 'gzip' }, gzipSync(JSON.stringify({ pad: 'x'.repeat(MAX_BYTES * 4) })));
    expect(bomb.status).toBe(413);
    const notObject = await post({ ...srv.auth, 'content-type': 'application/json' }, '[1,2]');
    expect(notObject.status).toBe(400);
  });
});

describe('data subject requests', () => {
  it('exports and erases APM points whose attributes carry the subject identifier, in that tenant only', async ({ app, srv }) => {
    const body = (user: string) =>
      JSON.stringify({
        resourceMetrics: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'accounts' } }] },
            scopeMetrics: [{ metrics: [{ name: 'logins', sum: { dataPoints: [{ timeUnixNano: `${BigInt(Date.now()) * 1_000_000n}`, asInt: '1', attributes: [{ key: 'enduser.id', value: { stringValue: user } }] }] } }] }],
          },
        ],
      });
    for (const user of ['user-42', 'user-7']) {
      const res = await fetch(`${srv.base}/v1/metrics`, { method: 'POST', headers: { ...srv.auth, 'content-type': 'application/json' }, body: body(user) });
      expect(res.status).toBe(200);
    }
    const req = { requestId: 'r1', tenantId: 'acme', kind: 'erasure' as const, identifiers: [{ type: 'user_id', value: 'user-42' }] };
    const tx = await app.infra.pool.connect();
    try {
      await tx.query('BEGIN');
      const other = await subjectData.export(tx, { ...req, tenantId: 'globex' });
      expect(other.tables).toEqual([{ table: 'perf.apm_points', rows: 0, action: 'exported' }]);
      const held = await subjectData.erase(tx, { ...req, holds: [{ category: 'apm-attributes', ground: 'legal_claims', reason: 'dispute' }] });
      expect(held).toEqual([{ table: 'perf.apm_points', rows: 1, action: 'retained', ground: 'legal_claims: dispute' }]);
      const exported = await subjectData.export(tx, req);
      expect(exported.tables).toEqual([{ table: 'perf.apm_points', rows: 1, action: 'exported' }]);
      expect(exported.data).toMatchObject({ apmPoints: [{ service: 'accounts', metric: 'logins', attributes: { 'enduser.id': 'user-42' } }] });
      expect(await subjectData.erase(tx, req)).toEqual([{ table: 'perf.apm_points', rows: 1, action: 'erased' }]);
      const left = await tx.query(`SELECT attributes->>'enduser.id' AS u FROM perf.apm_points WHERE service = 'accounts'`);
      expect(left.rows).toEqual([{ u: 'user-7' }]);
      await tx.query('COMMIT');
    } finally {
      tx.release();
    }
  });
});
