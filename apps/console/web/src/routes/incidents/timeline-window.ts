// The timeline's window from its search params: from/to as given, or a range ending now (rounded to 5 s,
// so the route's loader and the page ask for the same window and share one request).
import type { Range, TimelineSearch } from './routes';

export const RANGE_MS: Record<Range, number> = { '15m': 15 * 60_000, '1h': 3_600_000, '6h': 6 * 3_600_000, '24h': 24 * 3_600_000, '7d': 7 * 86_400_000 };
export const DEFAULT_RANGE: Range = '6h';

export const roundedNow = () => Math.floor(Date.now() / 5_000) * 5_000;

export function windowOf(search: TimelineSearch, now: number): { from: string; to: string; absolute: boolean } {
  if (search.from && search.to) return { from: search.from, to: search.to, absolute: true };
  return { from: new Date(now - RANGE_MS[search.range ?? DEFAULT_RANGE]).toISOString(), to: new Date(now).toISOString(), absolute: false };
}
