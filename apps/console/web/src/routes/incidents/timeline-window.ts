// The timeline's window from its search params: from/to as given, or a range ending now (rounded up).
import type { Range, TimelineSearch } from './routes';

export const RANGE_MS: Record<Range, number> = { '15m': 15 * 60_000, '1h': 3_600_000, '6h': 6 * 3_600_000, '24h': 24 * 3_600_000, '7d': 7 * 86_400_000 };
export const DEFAULT_RANGE: Range = '6h';

/**
 * Now, rounded up so a window ending now includes what happened this very second: to 5 s, and to the minute
 * for the ranges of a day or more, whose buckets are whole minutes — the server then reads its per-minute
 * totals instead of every event (server/operations/history.ts).
 */
export const roundedNow = (range?: Range) => {
  const step = range && RANGE_MS[range] >= RANGE_MS['24h'] ? 60_000 : 5_000;
  return Math.ceil(Date.now() / step) * step;
};

export function windowOf(search: TimelineSearch, now: number): { from: string; to: string; absolute: boolean } {
  if (search.from && search.to) return { from: search.from, to: search.to, absolute: true };
  return { from: new Date(now - RANGE_MS[search.range ?? DEFAULT_RANGE]).toISOString(), to: new Date(now).toISOString(), absolute: false };
}

/**
 * How often a window ending now moves on when nothing happened on the bus (new events refresh it at once):
 * a minute for the short ranges, 1/60 of the longer ones — a 7-day window moves on every 2 h 48 min.
 */
export const liveWindowRefreshMs = (range: Range): number => Math.max(60_000, RANGE_MS[range] / 60);
