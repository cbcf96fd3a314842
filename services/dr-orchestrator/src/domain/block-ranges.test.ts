import { describe, expect, it } from 'vitest';
import { blockRanges, CHECK_RANGE_BLOCKS } from './facts.js';

describe('block ranges for checking a large table on several sessions', () => {
  it('keeps a small table, or a single session, as one whole-table range', () => {
    expect(blockRanges(CHECK_RANGE_BLOCKS, 4)).toEqual([{ from: 0 }]);
    expect(blockRanges(10 * CHECK_RANGE_BLOCKS, 1)).toEqual([{ from: 0 }]);
  });

  it('covers every block once, in adjacent ranges, the last one open-ended', () => {
    const blocks = 106_000; // pgbench_accounts at scale 68
    const ranges = blockRanges(blocks, 2);
    expect(ranges.length).toBe(Math.ceil(blocks / CHECK_RANGE_BLOCKS));
    expect(ranges[0]!.from).toBe(0);
    for (let i = 1; i < ranges.length; i++) expect(ranges[i]!.from).toBe(ranges[i - 1]!.to);
    expect(ranges.at(-1)!.to).toBeUndefined();
    expect(ranges.at(-1)!.from).toBeLessThan(blocks);
  });
});
