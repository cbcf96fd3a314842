import { describe, expect, it } from 'vitest';
import { sparkRange } from './sparkline';

const pts = (...v: number[]) => v.map((x, i) => ({ t: i, v: x }));

describe('sparkline range', () => {
  it('fits the scores, with room for a flat line inside 0..100', () => {
    expect(sparkRange(pts(100, 100), 0, 100, 20)).toEqual({ lo: 80, hi: 100 });
    expect(sparkRange(pts(0, 0), 0, 100, 20)).toEqual({ lo: 0, hi: 20 });
    expect(sparkRange(pts(50, 52), 0, 100, 20)).toEqual({ lo: 41, hi: 61 });
    expect(sparkRange(pts(30, 95, 60), 0, 100, 20)).toEqual({ lo: 30, hi: 95 });
  });
});
