import { describe, expect, it } from 'vitest';
import { computeCycle, statementDeltas, type Baseline, type CycleInput } from './cycle-metrics.js';

const stmt = (key: string, queryId: string, calls: number, totalMs: number) => ({ key, queryId, query: `q${queryId}`, calls, totalMs, rows: calls, blksHit: 10 * calls, blksRead: calls });
const counters = (n: number) => ({ xactCommit: 100 * n, xactRollback: n, deadlocks: n, tempBytes: 0, blksHit: 900 * n, blksRead: 100 * n, statsReset: null });
const input = (at: string, n: number, statements = [stmt('u:1:t', '1', 10 * n, 50 * n)]): CycleInput => ({
  at: new Date(at),
  latencyMs: 2,
  maxConnections: 100,
  sizeBytes: 1e6,
  xidAge: 2 ** 30,
  counters: counters(n),
  activity: { byState: { active: 2, idle: 3 }, total: 5, waiting: 0, longRunning: 0, longIdleInTransaction: 0 },
  locks: { total: 3, waiting: 0 },
  tables: [{ schema: 'public', name: 'big', live: 60_000, dead: 40_000 }],
  statements: { resetAt: null, rows: statements },
});

describe('statement deltas', () => {
  it('subtracts the previous counters, sums keys of one queryid, and restarts from zero after a reset', () => {
    const prev: Baseline['statements'] = { a: [10, 100, 10, 0, 0], b: [5, 50, 5, 0, 0], c: [100, 1000, 0, 0, 0] };
    const d = statementDeltas([stmt('a', '1', 12, 130), stmt('b', '1', 6, 60), stmt('c', '2', 3, 3000), stmt('d', '3', 0, 0)], prev);
    expect(d).toEqual([
      { queryId: '1', query: 'q1', calls: 3, totalMs: 40, meanMs: 40 / 3, rows: 3, blksHit: 180, blksRead: 18 },
      { queryId: '2', query: 'q2', calls: 3, totalMs: 3000, meanMs: 1000, rows: 3, blksHit: 30, blksRead: 3 },
    ]);
  });
});

describe('computeCycle', () => {
  it('turns cumulative counters into interval rates and a health input', () => {
    const first = computeCycle(input('2026-01-01T00:00:00Z', 1), undefined);
    expect(first.intervalS).toBeNull();
    const second = computeCycle({ ...input('2026-01-01T00:01:00Z', 3), tableIo: { heapHit: 75, heapRead: 25, idxHit: 0, idxRead: 0 } }, first.baseline);
    const s = Object.fromEntries(second.samples.map((x) => [x.name, x.value]));
    expect(second.intervalS).toBe(60);
    expect(s.tps).toBeCloseTo(202 / 60);
    expect(s.qps).toBeCloseTo(20 / 60);
    expect(s.deadlocks).toBe(2);
    expect(s.cache_hit_ratio).toBeCloseTo(0.9);
    expect(s.wraparound_pct).toBe(50);
    expect(s.table_heap_hit_ratio).toBe(0.75);
    expect(s.table_index_hit_ratio).toBe(1);
    expect(first.samples.map((x) => x.name)).not.toContain('table_heap_hit_ratio');
    expect(second.deltas).toEqual([expect.objectContaining({ queryId: '1', calls: 20, totalMs: 100, meanMs: 5 })]);
    expect(second.health).toMatchObject({ maxMeanQueryMs: 5, connectionsUsed: 5, deadlocksPerHour: 120, wraparoundPct: 50, deadTupleRatio: 0.4, deadTupleTable: 'public.big' });
  });

  it('does not subtract across a pg_stat_database reset', () => {
    const first = computeCycle(input('2026-01-01T00:00:00Z', 5), undefined);
    const after = input('2026-01-01T00:01:00Z', 1);
    after.counters.statsReset = '2026-01-01T00:00:30Z';
    const s = Object.fromEntries(computeCycle(after, first.baseline).samples.map((x) => [x.name, x.value]));
    expect(s.deadlocks).toBe(1);
  });
});
