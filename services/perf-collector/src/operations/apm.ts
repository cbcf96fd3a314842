// APM ingest: read an OTLP metrics request, store its points and per-service summaries, and
// publish ApmMetricsReceived per service through the outbox, all in one transaction.
import { pageInMemory, type PageRequest, withTransaction } from '@vigil/service-kit';
import { ApmMetricsReceived, type Outbox } from '@vigil/events';
import type { Pool } from 'pg';
import { insertApmPoints, insertApmSummaries, listApmServices, listSelfChecks, serviceMetricNames, serviceSummaries } from '../db/apm.js';
import { decodeMetricsRequest, encodeMetricsResponse } from '../domain/otlp-codec.js';
import { readMetricsRequest, summariseServices, type ServiceSummary } from '../domain/otlp-metrics.js';
import { otlpInvalid, otlpUnsupportedType } from '../errors.js';

export interface IngestResult {
  accepted: number;
  rejected: number;
  errorMessage: string;
}

export function summarySamples(s: ServiceSummary) {
  const samples = [
    { name: 'requests', value: s.requests },
    { name: 'errors', value: s.errors },
    { name: 'error_rate', value: s.errorRate },
    { name: 'throughput_rps', value: s.throughput },
  ];
  if (s.latencyMeanMs !== null) samples.push({ name: 'latency_mean_ms', value: s.latencyMeanMs });
  if (s.latencyP95Ms !== null) samples.push({ name: 'latency_p95_ms', value: s.latencyP95Ms });
  if (s.latencyP50Ms !== null) samples.push({ name: 'latency_p50_ms', value: s.latencyP50Ms });
  if (s.latencyP99Ms !== null) samples.push({ name: 'latency_p99_ms', value: s.latencyP99Ms });
  return samples;
}

export async function ingestOtlpMetrics(deps: { pool: Pool; outbox: Outbox }, tenantId: string, body: unknown): Promise<IngestResult> {
  const read = readMetricsRequest(body);
  const summaries = summariseServices(read.points);
  if (read.points.length) {
    await withTransaction(deps.pool, async (tx) => {
      await insertApmPoints(tx, tenantId, read.points);
      await insertApmSummaries(tx, tenantId, summaries);
      await deps.outbox.enqueueMany(
        tx,
        ApmMetricsReceived,
        summaries.map((s) => ({ data: { service: s.service, receivedAt: new Date().toISOString(), samples: summarySamples(s) }, opts: { tenantId } })),
      );
    });
  }
  return { accepted: read.points.length, rejected: read.rejected, errorMessage: read.errors.slice(0, 5).join('; ') };
}

export const OTLP_PROTOBUF = 'application/x-protobuf';

/**
 * One OTLP/HTTP export request as it came in (protobuf bytes or parsed JSON, by media type):
 * ingested, and answered in the request's own encoding with partial success when points were refused.
 */
export async function ingestOtlpExport(
  deps: { pool: Pool; outbox: Outbox },
  tenantId: string,
  req: { mediaType: string; body: unknown },
): Promise<{ mediaType: string; body: Buffer | Record<string, unknown> }> {
  let request: unknown;
  if (req.mediaType === OTLP_PROTOBUF) {
    try {
      request = decodeMetricsRequest(req.body as Buffer);
    } catch (err) {
      throw otlpInvalid(`body is not an ExportMetricsServiceRequest: ${(err as Error).message}`);
    }
  } else if (req.mediaType === 'application/json') {
    if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) throw otlpInvalid('JSON body must be an ExportMetricsServiceRequest object');
    request = req.body;
  } else {
    throw otlpUnsupportedType(req.mediaType);
  }
  const result = await ingestOtlpMetrics(deps, tenantId, request);
  const partial = result.rejected > 0 ? { rejectedDataPoints: result.rejected, errorMessage: result.errorMessage } : undefined;
  if (req.mediaType === OTLP_PROTOBUF) return { mediaType: OTLP_PROTOBUF, body: Buffer.from(encodeMetricsResponse(partial)) };
  return { mediaType: 'application/json', body: partial ? { partialSuccess: partial } : {} };
}

export const apmServices = async (pool: Pool, tenantId: string, page: PageRequest) => pageInMemory(await listApmServices(pool, tenantId), page, (s) => [s.service], ['asc']);

/** The latest self-monitoring check of each Vigil service (platform-wide). */
export const selfChecks = async (pool: Pool, page: PageRequest) => pageInMemory(await listSelfChecks(pool), page, (c) => [c.service], ['asc']);

export async function apmService(pool: Pool, tenantId: string, service: string, hours: number) {
  const [history, metrics] = await Promise.all([serviceSummaries(pool, tenantId, service, hours), serviceMetricNames(pool, tenantId, service)]);
  return { service, latest: history[0] ?? null, history, metrics };
}
