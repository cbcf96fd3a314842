// Health score 0-100 from a database snapshot, with the components that lowered it.
// Thresholds follow the product defaults: query time 1 s / 5 s, connection use 80 % / 95 %,
// cache hit ratio >= 90 %, connection latency 100 ms / 200 ms; wraparound 50 % / 75 % of the
// 2^31 transaction ID space; dead tuples 20 % / 50 % of a large table.
export interface HealthSnapshot {
  maxMeanQueryMs: number;
  connectionsUsed: number;
  maxConnections: number;
  cacheHitRatio: number;
  connectionLatencyMs: number;
  deadlocksPerHour?: number;
  /** Oldest datfrozenxid age as a percentage of the 2^31 wraparound horizon. */
  wraparoundPct?: number;
  /** Highest dead / (live + dead) tuple ratio among tables large enough to matter, 0..1. */
  deadTupleRatio?: number;
  /** Table with that ratio, for the explanation. */
  deadTupleTable?: string;
  /** What the collector examined (absent in a pushed snapshot: its sender measured the values). */
  examined?: { statements: number; largeTables: number; blocks: number };
}

/** One check behind the score. 'skipped': it had nothing to examine; it is never reported as passed. */
export interface HealthCheck {
  name: string;
  outcome: 'passed' | 'failed' | 'skipped';
  detail: string;
}

export interface ScoreComponent {
  name: string;
  penalty: number;
  detail: string;
}

export interface HealthScore {
  score: number;
  status: 'healthy' | 'warning' | 'critical';
  components: ScoreComponent[];
  checks: HealthCheck[];
}

function graded(name: string, value: number, warn: number, crit: number, warnPenalty: number, critPenalty: number, unit: string): ScoreComponent | undefined {
  if (value >= crit) return { name, penalty: critPenalty, detail: `${value}${unit} at or above critical ${crit}${unit}` };
  if (value >= warn) return { name, penalty: warnPenalty, detail: `${value}${unit} at or above warning ${warn}${unit}` };
  return undefined;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

function bloat(ratio: number, table: string | undefined): ScoreComponent | undefined {
  const pct = round1(ratio * 100);
  const where = table ? ` in ${table}` : '';
  if (ratio >= 0.5) return { name: 'dead_tuple_bloat', penalty: 10, detail: `${pct} % dead tuples${where}, at or above critical 50 %` };
  if (ratio >= 0.2) return { name: 'dead_tuple_bloat', penalty: 5, detail: `${pct} % dead tuples${where}, at or above warning 20 %` };
  return undefined;
}

export function scoreDatabaseHealth(s: HealthSnapshot): HealthScore {
  const usePct = s.maxConnections > 0 ? Math.round((100 * s.connectionsUsed) / s.maxConnections) : 0;
  const components = [
    graded('query_time', s.maxMeanQueryMs, 1_000, 5_000, 15, 30, ' ms'),
    graded('connection_use', usePct, 80, 95, 10, 25, ' %'),
    graded('connection_latency', s.connectionLatencyMs, 100, 200, 10, 20, ' ms'),
    s.cacheHitRatio < 0.9
      ? { name: 'cache_hit_ratio', penalty: Math.min(25, Math.round((0.9 - s.cacheHitRatio) * 100)), detail: `cache hit ratio ${(s.cacheHitRatio * 100).toFixed(1)} % below 90 %` }
      : undefined,
    s.deadlocksPerHour && s.deadlocksPerHour > 0
      ? { name: 'deadlocks', penalty: Math.min(15, 5 * s.deadlocksPerHour), detail: `${s.deadlocksPerHour} deadlocks per hour` }
      : undefined,
    s.wraparoundPct !== undefined ? graded('wraparound', round1(s.wraparoundPct), 50, 75, 10, 25, ' % of xid horizon') : undefined,
    s.deadTupleRatio !== undefined ? bloat(s.deadTupleRatio, s.deadTupleTable) : undefined,
  ].filter((c): c is ScoreComponent => c !== undefined);
  const score = Math.max(0, 100 - components.reduce((sum, c) => sum + c.penalty, 0));
  return { score, status: score < 50 ? 'critical' : score < 80 ? 'warning' : 'healthy', components, checks: healthChecks(s, components) };
}

/** Why a check had nothing to examine, or undefined when it had something. */
function nothingToExamine(s: HealthSnapshot, check: string): string | undefined {
  const e = s.examined;
  switch (check) {
    case 'query_time':
      return e && !e.statements ? 'no statements to examine (pg_stat_statements missing or idle this interval)' : undefined;
    case 'cache_hit_ratio':
      return e && !e.blocks ? 'no blocks read or hit this interval' : undefined;
    case 'dead_tuple_bloat':
      if (s.deadTupleRatio === undefined) return 'no dead-tuple ratio in the snapshot';
      return e && !e.largeTables ? 'no table of 10,000+ rows to examine' : undefined;
    case 'wraparound':
      return s.wraparoundPct === undefined ? 'no transaction ID age in the snapshot' : undefined;
    case 'deadlocks':
      return s.deadlocksPerHour === undefined ? 'no deadlock count in the snapshot' : undefined;
    default:
      return undefined;
  }
}

const CHECKS = ['query_time', 'connection_use', 'connection_latency', 'cache_hit_ratio', 'deadlocks', 'wraparound', 'dead_tuple_bloat'];

function healthChecks(s: HealthSnapshot, components: ScoreComponent[]): HealthCheck[] {
  return CHECKS.map((name) => {
    const hit = components.find((c) => c.name === name);
    if (hit) return { name, outcome: 'failed', detail: hit.detail };
    const reason = nothingToExamine(s, name);
    return reason ? { name, outcome: 'skipped', detail: reason } : { name, outcome: 'passed', detail: 'within thresholds' };
  });
}
