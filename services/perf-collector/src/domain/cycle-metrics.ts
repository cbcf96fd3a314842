// Turns a target snapshot plus the previous cycle's cumulative counters into interval deltas,
// the metric samples of the cycle and the input of the health score. Pure.
import type { HealthSnapshot } from './health-score.js';

export interface StatementCounters {
  key: string;
  queryId: string;
  query: string;
  calls: number;
  totalMs: number;
  rows: number;
  blksHit: number;
  blksRead: number;
}

export interface DatabaseCounters {
  xactCommit: number;
  xactRollback: number;
  deadlocks: number;
  tempBytes: number;
  blksHit: number;
  blksRead: number;
  statsReset: string | null;
}

/** Cumulative counters kept between cycles: per statement key [calls, totalMs, rows, blksHit, blksRead]. */
export interface Baseline {
  takenAt: string;
  database: DatabaseCounters;
  statements: Record<string, [number, number, number, number, number]>;
  statementsResetAt?: string | null;
  /** When relation sizes were last read (they are read on a slower cadence). */
  sizesAt?: string | null;
}

export interface StatementDelta {
  queryId: string;
  query: string;
  calls: number;
  totalMs: number;
  meanMs: number;
  rows: number;
  blksHit: number;
  blksRead: number;
}

export interface CycleInput {
  at: Date;
  latencyMs: number;
  maxConnections: number;
  sizeBytes: number;
  xidAge: number;
  counters: DatabaseCounters;
  activity: { byState: Record<string, number>; total: number; waiting: number; longRunning: number; longIdleInTransaction: number };
  locks: { total: number; waiting: number };
  tables: { schema: string; name: string; live: number; dead: number }[];
  tableIo?: { heapHit: number; heapRead: number; idxHit: number; idxRead: number } | null;
  statements?: { resetAt: string | null; rows: StatementCounters[] };
}

export interface Sample {
  name: string;
  value: number;
}

export interface CycleResult {
  intervalS: number | null;
  samples: Sample[];
  health: HealthSnapshot;
  deltas: StatementDelta[];
  baseline: Baseline;
}

const XID_HORIZON = 2 ** 31;
const BLOAT_MIN_ROWS = 10_000;

/** Per-queryid deltas; a statement whose counters went backwards (reset, eviction) counts from zero. */
export function statementDeltas(rows: StatementCounters[], previous: Baseline['statements'] | undefined): StatementDelta[] {
  const byQuery = new Map<string, StatementDelta>();
  for (const r of rows) {
    const p = previous?.[r.key];
    const fresh = !p || r.calls < p[0];
    const d = fresh ? [r.calls, r.totalMs, r.rows, r.blksHit, r.blksRead] : [r.calls - p[0], r.totalMs - p[1], r.rows - p[2], r.blksHit - p[3], r.blksRead - p[4]];
    if (d[0]! <= 0) continue;
    const acc = byQuery.get(r.queryId) ?? { queryId: r.queryId, query: r.query, calls: 0, totalMs: 0, meanMs: 0, rows: 0, blksHit: 0, blksRead: 0 };
    acc.calls += d[0]!;
    acc.totalMs += d[1]!;
    acc.rows += d[2]!;
    acc.blksHit += d[3]!;
    acc.blksRead += d[4]!;
    byQuery.set(r.queryId, acc);
  }
  return [...byQuery.values()].map((s) => ({ ...s, meanMs: s.totalMs / s.calls }));
}

function counterDelta(now: number, before: number | undefined): number {
  return before === undefined || now < before ? now : now - before;
}

export function computeCycle(input: CycleInput, previous: Baseline | undefined): CycleResult {
  const sameStats = previous && previous.database.statsReset === input.counters.statsReset;
  const base = sameStats ? previous.database : undefined;
  const intervalS = previous ? Math.max(1, (input.at.getTime() - Date.parse(previous.takenAt)) / 1000) : null;
  const c = input.counters;
  const commits = counterDelta(c.xactCommit, base?.xactCommit);
  const rollbacks = counterDelta(c.xactRollback, base?.xactRollback);
  const deadlocks = counterDelta(c.deadlocks, base?.deadlocks);
  const hit = counterDelta(c.blksHit, base?.blksHit);
  const read = counterDelta(c.blksRead, base?.blksRead);
  const cacheHitRatio = hit + read > 0 ? hit / (hit + read) : 1;

  const statementsReset = previous?.statementsResetAt !== input.statements?.resetAt;
  const deltas = input.statements ? statementDeltas(input.statements.rows, statementsReset ? undefined : previous?.statements) : [];
  const calls = deltas.reduce((s, d) => s + d.calls, 0);
  const totalMs = deltas.reduce((s, d) => s + d.totalMs, 0);
  const maxMeanQueryMs = deltas.reduce((m, d) => Math.max(m, d.meanMs), 0);

  let deadTupleRatio = 0;
  let deadTupleTable: string | undefined;
  let largeTables = 0;
  for (const t of input.tables) {
    const all = t.live + t.dead;
    if (all < BLOAT_MIN_ROWS) continue;
    largeTables++;
    if (t.dead / all > deadTupleRatio) {
      deadTupleRatio = t.dead / all;
      deadTupleTable = `${t.schema}.${t.name}`;
    }
  }
  const wraparoundPct = (100 * input.xidAge) / XID_HORIZON;
  const hours = (intervalS ?? 3600) / 3600;
  const a = input.activity;
  const samples: Sample[] = [
    { name: 'connection_latency_ms', value: input.latencyMs },
    { name: 'connections_total', value: a.total },
    { name: 'connections_active', value: a.byState.active ?? 0 },
    { name: 'connections_idle', value: a.byState.idle ?? 0 },
    { name: 'connections_idle_in_transaction', value: (a.byState['idle in transaction'] ?? 0) + (a.byState['idle in transaction (aborted)'] ?? 0) },
    { name: 'connections_waiting', value: a.waiting },
    { name: 'connections_long_running', value: a.longRunning },
    { name: 'connections_long_idle_in_transaction', value: a.longIdleInTransaction },
    { name: 'max_connections', value: input.maxConnections },
    { name: 'connection_use_pct', value: (100 * a.total) / Math.max(1, input.maxConnections) },
    { name: 'database_size_bytes', value: input.sizeBytes },
    { name: 'xid_age', value: input.xidAge },
    { name: 'wraparound_pct', value: wraparoundPct },
    { name: 'cache_hit_ratio', value: cacheHitRatio },
    { name: 'deadlocks', value: deadlocks },
    { name: 'temp_bytes', value: counterDelta(c.tempBytes, base?.tempBytes) },
    { name: 'locks_total', value: input.locks.total },
    { name: 'locks_waiting', value: input.locks.waiting },
    { name: 'dead_tuple_ratio_max', value: deadTupleRatio },
    { name: 'max_mean_query_ms', value: maxMeanQueryMs },
    { name: 'statement_calls', value: calls },
    { name: 'statement_total_ms', value: totalMs },
  ];
  const ratio = (hits: number, reads: number) => (hits + reads > 0 ? hits / (hits + reads) : 1);
  if (input.tableIo) {
    samples.push({ name: 'table_heap_hit_ratio', value: ratio(input.tableIo.heapHit, input.tableIo.heapRead) }, { name: 'table_index_hit_ratio', value: ratio(input.tableIo.idxHit, input.tableIo.idxRead) });
  }
  if (intervalS) {
    samples.push({ name: 'tps', value: (commits + rollbacks) / intervalS }, { name: 'rollbacks_per_s', value: rollbacks / intervalS });
    if (input.statements) samples.push({ name: 'qps', value: calls / intervalS });
  }
  const baseline: Baseline = {
    takenAt: input.at.toISOString(),
    database: c,
    statementsResetAt: input.statements?.resetAt ?? null,
    statements: Object.fromEntries((input.statements?.rows ?? []).map((r) => [r.key, [r.calls, r.totalMs, r.rows, r.blksHit, r.blksRead]])),
  };
  return {
    intervalS,
    samples,
    deltas,
    baseline,
    health: {
      maxMeanQueryMs: Math.round(maxMeanQueryMs * 10) / 10,
      connectionsUsed: a.total,
      maxConnections: input.maxConnections,
      cacheHitRatio,
      connectionLatencyMs: Math.round(input.latencyMs * 10) / 10,
      deadlocksPerHour: Math.round((deadlocks / hours) * 10) / 10,
      wraparoundPct,
      deadTupleRatio,
      ...(deadTupleTable ? { deadTupleTable } : {}),
      examined: { statements: deltas.length, largeTables, blocks: hit + read },
    },
  };
}
