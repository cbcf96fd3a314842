import { describe, expect, it } from 'vitest';
import { visibleRange } from './virtual-list';

describe('virtual list range', () => {
  it('renders the rows in view plus the overscan, whatever the list length', () => {
    expect(visibleRange(0, 580, 58, 36, 8, 10_000)).toEqual({ first: 0, last: 18 });
    // Scrolled to row 5,000: only ~26 rows around it exist.
    const r = visibleRange(36 + 5000 * 58, 580, 58, 36, 8, 10_000);
    expect(r).toEqual({ first: 4992, last: 5018 });
  });
  it('clamps at the end of the list and for an empty list', () => {
    expect(visibleRange(36 + 9995 * 58, 580, 58, 36, 8, 10_000).last).toBe(9999);
    expect(visibleRange(0, 580, 58, 0, 8, 0)).toEqual({ first: 0, last: -1 });
  });
});
