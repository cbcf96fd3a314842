import { describe, expect, it } from 'vitest';
import { fillSeries, trendWindows } from './series.js';

describe('trend windows', () => {
  it('covers 60 minutes and 24 hours ending now, every bucket present', () => {
    const now = new Date('2026-12-01T10:30:20.000Z');
    const { minutes, hours } = trendWindows(now);
    expect(minutes.since.toISOString()).toBe('2026-12-01T09:30:20.000Z');
    expect(hours.since.toISOString()).toBe('2026-11-30T10:30:20.000Z');
    const m = fillSeries([{ bucket: '2026-12-01T10:29:00.000Z', count: 3 }], minutes.from, minutes.to, minutes.stepMs);
    expect(m).toHaveLength(60);
    expect(m.at(-1)).toEqual({ bucket: '2026-12-01T10:30:00.000Z', count: 0 });
    expect(m.at(-2)).toEqual({ bucket: '2026-12-01T10:29:00.000Z', count: 3 });
    expect(fillSeries([], hours.from, hours.to, hours.stepMs)).toHaveLength(24);
  });
});
