// A database's cached health scores (newest first) and a score the stream delivers. The stream can bring
// a score the cache already holds: a poll or a remount may have fetched it between its insert and its
// event, a reconnect replays what the server's buffer still has, and the bus is at-least-once.
export interface StreamedScore {
  score: unknown;
  status: unknown;
  components: unknown;
  scoredAt: string;
}

/** At most as many scores as one page of the health API (healthQuery asks for 100). */
export const HEALTH_CACHE_LIMIT = 100;

const at = (s: { scoredAt?: unknown }): number => (typeof s.scoredAt === 'string' ? Date.parse(s.scoredAt) : NaN);

/**
 * The cached list with the streamed score in its place by time, newest first; unchanged when a score of
 * that moment is already there (one database is scored once per moment). Undefined stays undefined: an
 * uncached database is fetched whole when a screen asks for it.
 */
export function withStreamedScore<T extends { scoredAt?: unknown }>(cached: T[] | undefined, score: StreamedScore): T[] | undefined {
  if (!Array.isArray(cached)) return cached;
  const t = at(score);
  if (Number.isNaN(t) || cached.some((s) => at(s) === t)) return cached;
  const index = cached.findIndex((s) => at(s) < t);
  const next = [...cached];
  next.splice(index === -1 ? next.length : index, 0, score as unknown as T);
  return next.slice(0, HEALTH_CACHE_LIMIT);
}
