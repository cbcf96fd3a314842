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

/**
 * One check behind the score, PgHero-style: its value against its thresholds and why it matters.
 * 'skipped': it had nothing to examine; it is never reported as passed.
 */
export interface HealthCheck {
  name: string;
  title: string;
  outcome: 'passed' | 'failed' | 'skipped';
  /** ok = within thresholds; warning / critical = the threshold it crossed. */
  level: 'ok' | 'warning' | 'critical' | 'skipped';
  value: number | null;
  unit: string;
  /** Warning threshold; `direction` says on which side of it the check warns. */
  warn: number;
  crit: number | null;
  direction: 'above' | 'below';
  detail: string;
  why: string;
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

interface CheckSpec {
  title: string;
  unit: string;
  warn: number;
  crit: number | null;
  direction: 'above' | 'below';
  value: (s: HealthSnapshot) => number | undefined;
  why: string;
}

const pctOf = (ratio: number | undefined) => (ratio === undefined ? undefined : round1(ratio * 100));

/** The thresholds are the ones scoreDatabaseHealth grades with; `why` is what a reader needs to act. */
const CHECKS: Record<string, CheckSpec> = {
  query_time: {
    title: 'Mean query time',
    unit: 'ms',
    warn: 1_000,
    crit: 5_000,
    direction: 'above',
    value: (s) => round1(s.maxMeanQueryMs),
    why: 'The slowest statement\'s mean time. Slow statements hold connections and locks longer and queue the ones behind them; a missing index is the usual cause.',
  },
  connection_use: {
    title: 'Connection pool use',
    unit: '%',
    warn: 80,
    crit: 95,
    direction: 'above',
    value: (s) => (s.maxConnections > 0 ? Math.round((100 * s.connectionsUsed) / s.maxConnections) : 0),
    why: 'Connections in use out of max_connections. At the limit new clients are refused ("too many clients"); put a pooler in front or find the idle sessions.',
  },
  cache_hit_ratio: {
    title: 'Cache hit ratio',
    unit: '%',
    warn: 90,
    crit: null,
    direction: 'below',
    value: (s) => pctOf(s.cacheHitRatio),
    why: 'Blocks found in shared buffers. A miss reads from the OS or disk, far slower. Sequential scans of large tables (a missing index) or a working set larger than memory drive it down.',
  },
  connection_latency: {
    title: 'Connection latency',
    unit: 'ms',
    warn: 100,
    crit: 200,
    direction: 'above',
    value: (s) => round1(s.connectionLatencyMs),
    why: 'Round trip of a SELECT 1. Every query pays it; a high value means a saturated server or a slow network path.',
  },
  deadlocks: {
    title: 'Deadlocks',
    unit: '/h',
    warn: 0,
    crit: 3,
    direction: 'above',
    value: (s) => s.deadlocksPerHour,
    why: 'Transactions that PostgreSQL aborted to break a lock cycle. The application sees errors; lock rows in one consistent order.',
  },
  wraparound: {
    title: 'Transaction ID wraparound',
    unit: '%',
    warn: 50,
    crit: 75,
    direction: 'above',
    value: (s) => (s.wraparoundPct === undefined ? undefined : round1(s.wraparoundPct)),
    why: 'Age of the oldest unfrozen transaction ID, as a share of the 2^31 horizon. At 100 % PostgreSQL stops accepting writes; VACUUM (FREEZE) must keep up.',
  },
  dead_tuple_bloat: {
    title: 'Dead-tuple bloat',
    unit: '%',
    warn: 20,
    crit: 50,
    direction: 'above',
    value: (s) => pctOf(s.deadTupleRatio),
    why: 'Dead rows in the most bloated table of 10,000+ rows. They waste space and slow scans; autovacuum is falling behind on that table.',
  },
};

function healthChecks(s: HealthSnapshot, components: ScoreComponent[]): HealthCheck[] {
  return Object.entries(CHECKS).map(([name, spec]) => {
    const base = { name, title: spec.title, unit: spec.unit, warn: spec.warn, crit: spec.crit, direction: spec.direction, why: spec.why };
    const reason = nothingToExamine(s, name);
    const value = spec.value(s) ?? null;
    const hit = components.find((c) => c.name === name);
    if (hit) {
      const critical = spec.crit !== null && value !== null && (spec.direction === 'above' ? value >= spec.crit : value <= spec.crit);
      return { ...base, outcome: 'failed', level: critical ? 'critical' : 'warning', value, detail: hit.detail };
    }
    if (reason) return { ...base, outcome: 'skipped', level: 'skipped', value: null, detail: reason };
    return { ...base, outcome: 'passed', level: 'ok', value, detail: 'within thresholds' };
  });
}
