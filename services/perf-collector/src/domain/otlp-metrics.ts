// Reads an OTLP metrics request (JSON shape; protobuf is decoded into it first) into flat
// points, rejecting malformed data points one by one (partial success), and summarises each
// service: requests, errors, error rate, throughput and latency from duration histograms. Pure.

export type AttrValue = string | number | boolean;

export interface ApmPoint {
  service: string;
  metric: string;
  unit: string;
  kind: 'gauge' | 'sum' | 'histogram' | 'exponential_histogram' | 'summary';
  attributes: Record<string, AttrValue>;
  value: number | null;
  count: number | null;
  sum: number | null;
  bounds: number[] | null;
  buckets: number[] | null;
  startAt: string | null;
  at: string;
}

export interface ReadResult {
  points: ApmPoint[];
  rejected: number;
  errors: string[];
}

type Obj = Record<string, unknown>;
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function anyValue(v: unknown): AttrValue | undefined {
  if (!isObj(v)) return undefined;
  if (typeof v.stringValue === 'string') return v.stringValue;
  if (typeof v.boolValue === 'boolean') return v.boolValue;
  if (v.intValue !== undefined && v.intValue !== null) return Number(v.intValue);
  if (typeof v.doubleValue === 'number') return v.doubleValue;
  if (isObj(v.arrayValue) || isObj(v.kvlistValue)) return JSON.stringify(v.arrayValue ?? v.kvlistValue);
  return undefined;
}

export function attributes(list: unknown): Record<string, AttrValue> {
  const out: Record<string, AttrValue> = {};
  for (const kv of arr(list)) {
    const val = anyValue(kv.value);
    if (typeof kv.key === 'string' && val !== undefined) out[kv.key] = val;
  }
  return out;
}

/** OTLP times are nanoseconds since the epoch as (string) integers. */
function nanosToIso(v: unknown): string | null {
  if (v === undefined || v === null || v === '' || v === '0' || v === 0) return null;
  try {
    const ms = Number(BigInt(String(v)) / 1_000_000n);
    return ms > 0 && ms < 8.64e15 ? new Date(ms).toISOString() : null;
  } catch {
    return null;
  }
}

const finite = (v: unknown): number | null => {
  const n = typeof v === 'string' ? Number(v) : (v as number);
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
};

export const MAX_POINTS_PER_REQUEST = 50_000;

export function readMetricsRequest(body: unknown): ReadResult {
  const points: ApmPoint[] = [];
  const errors = new Set<string>();
  let rejected = 0;
  const reject = (n: number, why: string) => {
    rejected += n;
    errors.add(why);
  };
  for (const rm of arr(isObj(body) ? body.resourceMetrics : undefined)) {
    const resource = attributes(isObj(rm.resource) ? rm.resource.attributes : undefined);
    const service = typeof resource['service.name'] === 'string' && resource['service.name'] ? resource['service.name'] : 'unknown_service';
    for (const sm of [...arr(rm.scopeMetrics), ...arr(rm.instrumentationLibraryMetrics)]) {
      for (const m of arr(sm.metrics)) {
        const kind = (['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'] as const).find((k) => isObj(m[k]));
        const data = kind ? (m[kind] as Obj) : undefined;
        const dps = arr(data?.dataPoints);
        if (typeof m.name !== 'string' || !/^[A-Za-z][\w./-]{0,254}$/.test(m.name)) {
          reject(Math.max(1, dps.length), 'metric without a valid name');
          continue;
        }
        if (!kind || !data) {
          reject(1, `metric ${m.name} has no gauge, sum, histogram or summary data`);
          continue;
        }
        for (const dp of dps) {
          if (points.length >= MAX_POINTS_PER_REQUEST) {
            reject(1, `more than ${MAX_POINTS_PER_REQUEST} data points in one request`);
            continue;
          }
          const at = nanosToIso(dp.timeUnixNano);
          if (!at) {
            reject(1, `data point of ${m.name} without a valid timeUnixNano`);
            continue;
          }
          const base = {
            service,
            metric: m.name,
            unit: typeof m.unit === 'string' ? m.unit : '',
            attributes: attributes(dp.attributes),
            startAt: nanosToIso(dp.startTimeUnixNano),
            at,
            value: null,
            count: null,
            sum: null,
            bounds: null,
            buckets: null,
          };
          if (kind === 'gauge' || kind === 'sum') {
            const value = finite(dp.asDouble ?? dp.asInt);
            if (value === null) {
              reject(1, `data point of ${m.name} without a finite value`);
              continue;
            }
            points.push({ ...base, kind, value });
          } else if (kind === 'histogram') {
            const bounds = (Array.isArray(dp.explicitBounds) ? dp.explicitBounds : []).map(finite);
            const buckets = (Array.isArray(dp.bucketCounts) ? dp.bucketCounts : []).map(finite);
            const count = finite(dp.count ?? 0);
            if (count === null || bounds.includes(null) || buckets.includes(null) || (buckets.length > 0 && buckets.length !== bounds.length + 1)) {
              reject(1, `histogram point of ${m.name} with inconsistent count, bounds or bucket counts`);
              continue;
            }
            points.push({ ...base, kind, count, sum: finite(dp.sum), bounds: bounds as number[], buckets: buckets as number[] });
          } else {
            const count = finite(dp.count ?? 0);
            if (count === null) {
              reject(1, `point of ${m.name} without a valid count`);
              continue;
            }
            points.push({ ...base, kind: kind === 'summary' ? 'summary' : 'exponential_histogram', count, sum: finite(dp.sum) });
          }
        }
      }
    }
  }
  return { points, rejected, errors: [...errors] };
}

export interface ServiceSummary {
  service: string;
  at: string;
  requests: number;
  errors: number;
  errorRate: number;
  throughput: number;
  latencyMeanMs: number | null;
  latencyP95Ms: number | null;
  latencyP50Ms: number | null;
  latencyP99Ms: number | null;
}

const LATENCY = /(duration|latency)/i;
const ERRORS = /(error|exception|fault)/i;

function isErrorPoint(a: Record<string, AttrValue>): boolean {
  const status = Number(a['http.response.status_code'] ?? a['http.status_code'] ?? a['rpc.grpc.status_code'] ?? NaN);
  if (Number.isFinite(status) && status >= 500) return true;
  if (a['error.type'] !== undefined || a.error === true || a.error === 'true') return true;
  return typeof a.outcome === 'string' && /error|failure/i.test(a.outcome);
}

const unitToMs = (unit: string) => (unit === 's' ? 1000 : unit === 'us' ? 0.001 : unit === 'ns' ? 1e-6 : 1);

/** p-quantile from merged explicit buckets, interpolating linearly inside the bucket. */
export function histogramQuantile(bounds: number[], buckets: number[], q: number): number | null {
  const total = buckets.reduce((a, b) => a + b, 0);
  if (total <= 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < buckets.length; i++) {
    const c = buckets[i]!;
    if (seen + c >= rank && c > 0) {
      const lo = i === 0 ? 0 : bounds[i - 1]!;
      const hi = i < bounds.length ? bounds[i]! : bounds[bounds.length - 1] ?? lo;
      return lo + ((hi - lo) * (rank - seen)) / c;
    }
    seen += c;
  }
  return bounds[bounds.length - 1] ?? null;
}

/**
 * Per service: requests and errors from duration histograms (errors by 5xx status or
 * error.type), plus counters named like errors; throughput is requests per second over the
 * points' own window (start to time, so cumulative and delta temporality both work).
 */
export function summariseServices(points: ApmPoint[]): ServiceSummary[] {
  const byService = new Map<string, ApmPoint[]>();
  for (const p of points) byService.set(p.service, [...(byService.get(p.service) ?? []), p]);
  const out: ServiceSummary[] = [];
  for (const [service, list] of byService) {
    let requests = 0;
    let errors = 0;
    let sumMs = 0;
    let windowS = 0;
    let merged: { bounds: number[]; buckets: number[] } | undefined;
    let sameBounds = true;
    for (const p of list) {
      if (p.kind === 'histogram' && LATENCY.test(p.metric) && p.count !== null) {
        const scale = unitToMs(p.unit);
        requests += p.count;
        if (isErrorPoint(p.attributes)) errors += p.count;
        sumMs += (p.sum ?? 0) * scale;
        if (p.startAt) windowS = Math.max(windowS, (Date.parse(p.at) - Date.parse(p.startAt)) / 1000);
        if (p.bounds && p.buckets && p.buckets.length) {
          const bounds = p.bounds.map((b) => b * scale);
          if (!merged) merged = { bounds, buckets: [...p.buckets] };
          else if (merged.bounds.length === bounds.length && merged.bounds.every((b, i) => Math.abs(b - bounds[i]!) < 1e-9)) merged.buckets = merged.buckets.map((c, i) => c + p.buckets![i]!);
          else sameBounds = false;
        }
      } else if (p.kind === 'sum' && ERRORS.test(p.metric) && p.value !== null) {
        errors += p.value;
      }
    }
    const at = list.reduce((m, p) => (p.at > m ? p.at : m), list[0]!.at);
    const quantile = (q: number) => (merged && sameBounds ? histogramQuantile(merged.bounds, merged.buckets, q) : null);
    out.push({
      service,
      at,
      requests,
      errors,
      errorRate: requests > 0 ? Math.min(1, errors / requests) : 0,
      throughput: windowS > 0 ? requests / windowS : 0,
      latencyMeanMs: requests > 0 ? sumMs / requests : null,
      latencyP95Ms: quantile(0.95),
      latencyP50Ms: quantile(0.5),
      latencyP99Ms: quantile(0.99),
    });
  }
  return out;
}
