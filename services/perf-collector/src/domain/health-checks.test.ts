// Issue 13 §4: a health check with nothing to examine reports "skipped" with the reason, never "passed".
import { describe, expect, it } from 'vitest';
import { scoreDatabaseHealth, type HealthSnapshot } from './health-score.js';

const quiet: HealthSnapshot = { maxMeanQueryMs: 0, connectionsUsed: 3, maxConnections: 100, cacheHitRatio: 1, connectionLatencyMs: 1, deadlocksPerHour: 0, wraparoundPct: 1, deadTupleRatio: 0 };
const outcomes = (s: HealthSnapshot) => Object.fromEntries(scoreDatabaseHealth(s).checks.map((c) => [c.name, c.outcome]));

describe('health checks', () => {
  it('a collected database with 0 large tables, no statements and no block traffic: those checks are skipped, with the reason', () => {
    const h = scoreDatabaseHealth({ ...quiet, examined: { statements: 0, largeTables: 0, blocks: 0 } });
    expect(h.score).toBe(100);
    expect(h.checks.filter((c) => c.outcome === 'skipped').map(({ name, outcome, level, value, detail }) => ({ name, outcome, level, value, detail }))).toEqual([
      { name: 'query_time', outcome: 'skipped', level: 'skipped', value: null, detail: 'no statements to examine (pg_stat_statements missing or idle this interval)' },
      { name: 'cache_hit_ratio', outcome: 'skipped', level: 'skipped', value: null, detail: 'no blocks read or hit this interval' },
      { name: 'dead_tuple_bloat', outcome: 'skipped', level: 'skipped', value: null, detail: 'no table of 10,000+ rows to examine' },
    ]);
    expect(outcomes({ ...quiet, examined: { statements: 0, largeTables: 0, blocks: 0 } })).toMatchObject({ connection_use: 'passed', connection_latency: 'passed', wraparound: 'passed' });
  });

  it('with something to examine the same checks pass, or fail with the component that lowered the score', () => {
    expect(outcomes({ ...quiet, examined: { statements: 12, largeTables: 2, blocks: 900 } })).toEqual({
      query_time: 'passed', connection_use: 'passed', connection_latency: 'passed', cache_hit_ratio: 'passed', deadlocks: 'passed', wraparound: 'passed', dead_tuple_bloat: 'passed',
    });
    const bad = scoreDatabaseHealth({ ...quiet, maxMeanQueryMs: 6_000, deadTupleRatio: 0.6, deadTupleTable: 'public.t', examined: { statements: 1, largeTables: 1, blocks: 1 } });
    expect(bad.checks.find((c) => c.name === 'query_time')).toMatchObject({ name: 'query_time', outcome: 'failed', level: 'critical', value: 6000, warn: 1000, crit: 5000, detail: '6000 ms at or above critical 5000 ms' });
    expect(bad.checks.find((c) => c.name === 'dead_tuple_bloat')?.outcome).toBe('failed');
  });

  it('a pushed snapshot without the optional figures skips those checks instead of passing them', () => {
    const { deadlocksPerHour: _d, wraparoundPct: _w, deadTupleRatio: _b, ...bare } = quiet;
    expect(outcomes(bare)).toMatchObject({ deadlocks: 'skipped', wraparound: 'skipped', dead_tuple_bloat: 'skipped', query_time: 'passed' });
  });

  it('each check carries its value, the thresholds the score uses, and why it matters (issue 16)', () => {
    const h = scoreDatabaseHealth({ ...quiet, maxMeanQueryMs: 1_200, connectionsUsed: 81, cacheHitRatio: 0.42, connectionLatencyMs: 150, examined: { statements: 3, largeTables: 1, blocks: 10 } });
    const by = Object.fromEntries(h.checks.map((c) => [c.name, c]));
    expect(by.query_time).toMatchObject({ level: 'warning', value: 1200, warn: 1000, crit: 5000, unit: 'ms', direction: 'above' });
    expect(by.connection_use).toMatchObject({ level: 'warning', value: 81, warn: 80, crit: 95, unit: '%' });
    expect(by.cache_hit_ratio).toMatchObject({ outcome: 'failed', level: 'warning', value: 42, warn: 90, crit: null, direction: 'below' });
    expect(by.connection_latency).toMatchObject({ level: 'warning', value: 150, warn: 100, crit: 200 });
    expect(by.wraparound).toMatchObject({ outcome: 'passed', level: 'ok', value: 1 });
    for (const c of h.checks) expect(c.why.length).toBeGreaterThan(40);
    // The checks agree with the score: every failed check is a component that took points off.
    expect(h.checks.filter((c) => c.outcome === 'failed').map((c) => c.name).sort()).toEqual(h.components.map((c) => c.name).sort());
  });
});
