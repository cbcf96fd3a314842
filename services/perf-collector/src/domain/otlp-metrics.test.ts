import { describe, expect, it } from 'vitest';
import { histogramQuantile, readMetricsRequest, summariseServices } from './otlp-metrics.js';

const ns = (iso: string) => `${BigInt(Date.parse(iso)) * 1_000_000n}`;

describe('readMetricsRequest', () => {
  it('rejects malformed points one by one and keeps the rest', () => {
    const r = readMetricsRequest({
      resourceMetrics: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'api' } }] },
          scopeMetrics: [
            {
              metrics: [
                { name: 'ok.gauge', gauge: { dataPoints: [{ timeUnixNano: ns('2026-01-01T00:00:00Z'), asInt: '7', attributes: [{ key: 'k', value: { intValue: '3' } }] }] } },
                { name: 'bad.hist', histogram: { dataPoints: [{ timeUnixNano: ns('2026-01-01T00:00:00Z'), count: '3', explicitBounds: [1, 2], bucketCounts: ['1', '2'] }] } },
                { name: '', sum: { dataPoints: [{}, {}] } },
                { name: 'nan', gauge: { dataPoints: [{ timeUnixNano: ns('2026-01-01T00:00:00Z'), asDouble: 'NaN' }] } },
              ],
            },
          ],
        },
        { scopeMetrics: [{ metrics: [{ name: 'anon', sum: { dataPoints: [{ timeUnixNano: ns('2026-01-01T00:00:00Z'), asDouble: 1 }] } }] }] },
      ],
    });
    expect(r.points.map((p) => [p.service, p.metric, p.value, p.attributes])).toEqual([
      ['api', 'ok.gauge', 7, { k: 3 }],
      ['unknown_service', 'anon', 1, {}],
    ]);
    expect(r.rejected).toBe(4);
    expect(r.errors).toHaveLength(3);
  });
});

describe('summariseServices', () => {
  it('derives requests, 5xx error rate, throughput and latency quantiles from a duration histogram in seconds', () => {
    const base = { service: 'api', metric: 'http.server.request.duration', unit: 's', kind: 'histogram' as const, value: null, bounds: [0.1, 0.2], startAt: '2026-01-01T00:00:00Z', at: '2026-01-01T00:00:10Z' };
    const [s] = summariseServices([
      { ...base, attributes: { 'http.response.status_code': 200 }, count: 8, sum: 0.8, buckets: [8, 0, 0] },
      { ...base, attributes: { 'http.response.status_code': 503 }, count: 2, sum: 0.6, buckets: [0, 0, 2] },
    ]);
    expect(s).toMatchObject({ service: 'api', requests: 10, errors: 2, errorRate: 0.2, throughput: 1 });
    expect(s!.latencyMeanMs).toBeCloseTo(140);
    expect(s!.latencyP95Ms).toBeCloseTo(200);
    expect(s!.latencyP50Ms).not.toBeNull();
    expect(s!.latencyP50Ms!).toBeLessThanOrEqual(s!.latencyP95Ms!);
    expect(s!.latencyP99Ms!).toBeGreaterThanOrEqual(s!.latencyP95Ms!);
  });

  it('interpolates inside a bucket', () => {
    expect(histogramQuantile([10, 20], [0, 10, 0], 0.5)).toBe(15);
    expect(histogramQuantile([10], [0, 0], 0.5)).toBeNull();
  });
});
