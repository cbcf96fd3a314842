import { describe, expect, it } from 'vitest';
import { capacityReport, daysUntil, trend } from './capacity.js';

const day = (n: number) => new Date(Date.UTC(2026, 0, 1 + n)).toISOString();

describe('capacity forecast', () => {
  it('fits a per-day slope and forecasts the days left', () => {
    const t = trend([0, 1, 2, 3].map((n) => ({ at: day(n), value: 100 + 10 * n })));
    expect(t?.perDay).toBeCloseTo(10);
    expect(t?.latest).toBe(130);
    expect(daysUntil(t, 200)).toBe(7);
    expect(daysUntil(t, null)).toBeNull();
    expect(daysUntil({ latest: 5, perDay: -1 }, 10)).toBeNull();
  });

  it('reports disk and connection limits, table growth and missing inputs', () => {
    const r = capacityReport({
      size: [0, 10].map((n) => ({ at: day(n), value: 1000 + 100 * n })),
      connections: [0, 10].map((n) => ({ at: day(n), value: 10 + n })),
      qps: [],
      maxConnections: 30,
      diskLimitBytes: 3000,
      tables: [
        { name: 'public.a', first: { at: day(0), value: 10 }, last: { at: day(10), value: 110 } },
        { name: 'public.b', first: { at: day(0), value: 10 }, last: { at: day(10), value: 1010 } },
      ],
    });
    expect(r.database).toEqual({ sizeBytes: 2000, growthBytesPerDay: 100, diskLimitBytes: 3000, daysUntilDiskFull: 10 });
    expect(r.connections.daysUntilLimit).toBe(10);
    expect(r.tables.map((t) => t.table)).toEqual(['public.b', 'public.a']);
    expect(r.notes).toContain('disk full in 10 days at the current growth');
    expect(r.qps.current).toBeNull();
  });
});
