import { describe, expect, it } from 'vitest';
import { scoreDatabaseHealth } from './health-score.js';

const good = { maxMeanQueryMs: 5, connectionsUsed: 3, maxConnections: 100, cacheHitRatio: 0.99, connectionLatencyMs: 1 };

describe('scoreDatabaseHealth', () => {
  it('keeps the walking-skeleton result: 35 for a slow, full, cold database', () => {
    const h = scoreDatabaseHealth({ maxMeanQueryMs: 6000, connectionsUsed: 97, maxConnections: 100, cacheHitRatio: 0.8, connectionLatencyMs: 20 });
    expect(h.score).toBe(35);
    expect(h.status).toBe('critical');
    expect(h.components.map((c) => [c.name, c.penalty])).toEqual([
      ['query_time', 30],
      ['connection_use', 25],
      ['cache_hit_ratio', 10],
    ]);
  });

  it('scores a good snapshot 100 with nothing to explain', () => {
    expect(scoreDatabaseHealth(good)).toMatchObject({ score: 100, status: 'healthy', components: [] });
  });

  it('explains wraparound risk, dead-tuple bloat and deadlocks', () => {
    const h = scoreDatabaseHealth({ ...good, wraparoundPct: 80, deadTupleRatio: 0.3, deadTupleTable: 'public.orders', deadlocksPerHour: 2 });
    expect(h.components).toEqual([
      { name: 'deadlocks', penalty: 10, detail: '2 deadlocks per hour' },
      { name: 'wraparound', penalty: 25, detail: '80 % of xid horizon at or above critical 75 % of xid horizon' },
      { name: 'dead_tuple_bloat', penalty: 5, detail: '30 % dead tuples in public.orders, at or above warning 20 %' },
    ]);
    expect(h.score).toBe(60);
    expect(h.status).toBe('warning');
  });

  it('grades warnings below critical and never goes below zero', () => {
    expect(scoreDatabaseHealth({ ...good, maxMeanQueryMs: 1500, connectionLatencyMs: 150 }).score).toBe(75);
    const worst = scoreDatabaseHealth({ maxMeanQueryMs: 9e9, connectionsUsed: 100, maxConnections: 100, cacheHitRatio: 0, connectionLatencyMs: 999, deadlocksPerHour: 99, wraparoundPct: 99, deadTupleRatio: 0.9 });
    expect(worst.score).toBe(0);
  });
});
