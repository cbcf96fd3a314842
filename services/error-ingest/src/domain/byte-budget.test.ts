import { describe, expect, it } from 'vitest';
import { byBytes } from './byte-budget.js';

describe('byBytes', () => {
  it('cuts consecutive parts of at most the budget, in order; an item larger than the budget goes alone', () => {
    expect(byBytes([3, 3, 3, 10, 1, 1], (n) => n, 6)).toEqual([[3, 3], [3], [10], [1, 1]]);
    expect(byBytes([], (n: number) => n, 6)).toEqual([]);
    expect(byBytes([0, 0, 0], (n) => n, 1)).toEqual([[0, 0, 0]]);
  });
});
