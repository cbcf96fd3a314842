// Slow-query detection on interval deltas against the query-time thresholds (1 s warning,
// 5 s critical), and top-N rankings by total and by mean time. Pure.
import type { StatementDelta } from './cycle-metrics.js';

export const SLOW_WARNING_MS = 1_000;
export const SLOW_CRITICAL_MS = 5_000;

export interface SlowQuery extends StatementDelta {
  severity: 'warning' | 'critical';
  plan?: Record<string, unknown>;
  planError?: string;
}

export function detectSlowQueries(deltas: StatementDelta[]): SlowQuery[] {
  return deltas
    .filter((d) => d.meanMs >= SLOW_WARNING_MS)
    .map((d) => ({ ...d, severity: d.meanMs >= SLOW_CRITICAL_MS ? ('critical' as const) : ('warning' as const) }))
    .sort((a, b) => b.meanMs - a.meanMs);
}

export const topByTotal = (deltas: StatementDelta[], n: number) => [...deltas].sort((a, b) => b.totalMs - a.totalMs).slice(0, n);
export const topByMean = (deltas: StatementDelta[], n: number) => [...deltas].sort((a, b) => b.meanMs - a.meanMs).slice(0, n);

/** The statements worth keeping for an interval: top-N by total time, top-N by mean, and every slow one. */
export function statementsToKeep(deltas: StatementDelta[], n: number): StatementDelta[] {
  const keep = new Map<string, StatementDelta>();
  for (const d of [...topByTotal(deltas, n), ...topByMean(deltas, n), ...deltas.filter((x) => x.meanMs >= SLOW_WARNING_MS)]) keep.set(d.queryId, d);
  return [...keep.values()];
}
