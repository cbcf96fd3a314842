// Splitting a list into consecutive parts of bounded size: what one processing transaction holds.
/** Consecutive runs of `items` of at most `budget` (by `size`); an item larger than the budget alone. */
export function byBytes<T>(items: readonly T[], size: (item: T) => number, budget: number): T[][] {
  const parts: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const n = size(item);
    if (current.length && bytes + n > budget) {
      parts.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += n;
  }
  if (current.length) parts.push(current);
  return parts;
}
