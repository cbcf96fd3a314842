// SQL for APM points, per-service summaries and the self-monitoring checks.
import type { Pool, PoolClient } from 'pg';
import type { ApmPoint, ServiceSummary } from '../domain/otlp-metrics.js';

export async function insertApmPoints(tx: PoolClient, tenantId: string, points: ApmPoint[]): Promise<void> {
  for (let i = 0; i < points.length; i += 1000) {
    const chunk = points.slice(i, i + 1000);
    await tx.query(
      `INSERT INTO perf.apm_points (tenant_id, service, metric, kind, attributes, value, count, sum, bounds, buckets, start_at, at)
       SELECT $1, p->>'service', p->>'metric', p->>'kind', p->'attributes', (p->>'value')::float8, (p->>'count')::float8, (p->>'sum')::float8,
         CASE WHEN jsonb_typeof(p->'bounds') = 'array' THEN ARRAY(SELECT jsonb_array_elements_text(p->'bounds')::float8) END,
         CASE WHEN jsonb_typeof(p->'buckets') = 'array' THEN ARRAY(SELECT jsonb_array_elements_text(p->'buckets')::float8) END,
         (p->>'startAt')::timestamptz, (p->>'at')::timestamptz
       FROM jsonb_array_elements($2::jsonb) AS p`,
      [tenantId, JSON.stringify(chunk)],
    );
  }
}

export async function insertApmSummaries(tx: PoolClient, tenantId: string, summaries: ServiceSummary[]): Promise<void> {
  for (const s of summaries) {
    await tx.query(
      `INSERT INTO perf.apm_summaries (tenant_id, service, at, requests, errors, error_rate, throughput, latency_mean, latency_p95, latency_p50, latency_p99)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [tenantId, s.service, s.at, s.requests, s.errors, s.errorRate, s.throughput, s.latencyMeanMs, s.latencyP95Ms, s.latencyP50Ms, s.latencyP99Ms],
    );
  }
}

export async function listApmServices(pool: Pool, tenantId: string) {
  const { rows } = await pool.query(
    `SELECT DISTINCT ON (service) service, at, requests, errors, error_rate, throughput, latency_mean, latency_p95, latency_p50, latency_p99
     FROM perf.apm_summaries WHERE tenant_id = $1 ORDER BY service, at DESC`,
    [tenantId],
  );
  return rows.map(toSummary);
}

export async function serviceSummaries(pool: Pool, tenantId: string, service: string, hours: number) {
  const { rows } = await pool.query(
    `SELECT service, at, requests, errors, error_rate, throughput, latency_mean, latency_p95, latency_p50, latency_p99 FROM perf.apm_summaries
     WHERE tenant_id = $1 AND service = $2 AND at > now() - make_interval(hours => $3) ORDER BY at DESC LIMIT 1000`,
    [tenantId, service, hours],
  );
  return rows.map(toSummary);
}

export async function serviceMetricNames(pool: Pool, tenantId: string, service: string) {
  const { rows } = await pool.query(
    `SELECT metric, kind, count(*)::int AS points, max(at) AS last_at FROM perf.apm_points WHERE tenant_id = $1 AND service = $2 GROUP BY metric, kind ORDER BY metric`,
    [tenantId, service],
  );
  return rows.map((r) => ({ metric: r.metric as string, kind: r.kind as string, points: r.points as number, lastAt: (r.last_at as Date).toISOString() }));
}

function toSummary(r: Record<string, unknown>) {
  const n = (v: unknown) => (v === null ? null : Number(v));
  return {
    service: r.service as string,
    at: (r.at as Date).toISOString(),
    requests: Number(r.requests),
    errors: Number(r.errors),
    errorRate: Number(r.error_rate),
    throughput: Number(r.throughput),
    latencyMeanMs: n(r.latency_mean),
    latencyP95Ms: n(r.latency_p95),
    latencyP50Ms: r.latency_p50 === undefined ? null : n(r.latency_p50),
    latencyP99Ms: r.latency_p99 === undefined ? null : n(r.latency_p99),
  };
}

export async function upsertSelfCheck(pool: Pool, c: { service: string; url: string; ok: boolean; httpStatus: number | null; latencyMs: number | null; detail: string; checkedAt: string }) {
  await pool.query(
    `INSERT INTO perf.self_checks (service, url, ok, http_status, latency_ms, detail, checked_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (service) DO UPDATE SET url = EXCLUDED.url, ok = EXCLUDED.ok, http_status = EXCLUDED.http_status,
       latency_ms = EXCLUDED.latency_ms, detail = EXCLUDED.detail, checked_at = EXCLUDED.checked_at`,
    [c.service, c.url, c.ok, c.httpStatus, c.latencyMs, c.detail, c.checkedAt],
  );
}

export async function listSelfChecks(pool: Pool) {
  const { rows } = await pool.query(`SELECT service, url, ok, http_status, latency_ms, detail, checked_at FROM perf.self_checks ORDER BY service`);
  return rows.map((r) => ({
    service: r.service as string,
    url: r.url as string,
    ok: r.ok as boolean,
    httpStatus: r.http_status as number | null,
    latencyMs: r.latency_ms === null ? null : Number(r.latency_ms),
    detail: r.detail as string,
    checkedAt: (r.checked_at as Date).toISOString(),
  }));
}
