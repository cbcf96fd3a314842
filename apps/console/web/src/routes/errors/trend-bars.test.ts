import { describe, expect, it } from 'vitest';
import { trendPath } from './trend-bars';

/** The bars of a path as [x, height] pairs. */
const bars = (d: string) => [...d.matchAll(/M([\d.]+) 24v-([\d.]+)h[\d.]+v[\d.]+z/g)].map((m) => [Number(m[1]), Number(m[2])]);

describe('trend bars', () => {
  it('draws one bar per busy hour, scaled to the busiest, and none for a quiet hour', () => {
    // 3 hours over 30 px: 10 px a bar; the busiest hour fills 22 px (24 less 2 of room).
    expect(bars(trendPath([0, 4, 2], 30, 24))).toEqual([
      [10.5, 22],
      [20.5, 11],
    ]);
  });

  it('keeps a single event visible beside a busy hour (at least 2 px)', () => {
    expect(bars(trendPath([1000, 1], 20, 24))).toEqual([
      [0.5, 22],
      [10.5, 2],
    ]);
  });

  it('is empty for a quiet day', () => {
    expect(trendPath(Array.from({ length: 24 }, () => 0), 88, 24)).toBe('');
  });
});
