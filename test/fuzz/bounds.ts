// The memory bound of a fuzz run: after a full GC, the heap may not have grown by more than
// this whatever the number of cases (a leak per request would show after a long run).
import { expect } from 'vitest';
import type { FuzzReport } from './fuzz-service.js';

export const HEAP_GROWTH_MB = 96;
export const RSS_GROWTH_MB = 384;

export function expectBounded(r: FuzzReport): void {
  expect(r.cases).toBeGreaterThan(0);
  expect(r.heapMb.after - r.heapMb.before, `heap grew ${r.heapMb.before} -> ${r.heapMb.after} MB`).toBeLessThan(HEAP_GROWTH_MB);
  expect(r.rssMb.after - r.rssMb.before, `rss grew ${r.rssMb.before} -> ${r.rssMb.after} MB`).toBeLessThan(RSS_GROWTH_MB);
}
