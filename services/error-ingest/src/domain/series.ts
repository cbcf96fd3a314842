// Trend series: the windows the API shows (60 minutes by minute, 24 hours by hour) and the
// empty buckets filled in, oldest first.
export type Granularity = 'minute' | 'hour';

export interface SeriesPoint {
  bucket: string;
  count: number;
}

export interface TrendWindow {
  granularity: Granularity;
  stepMs: number;
  /** Buckets at or after this are read. */
  since: Date;
  /** The filled series starts at the bucket of this instant and ends at `to`. */
  from: Date;
  to: Date;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;

/** The last 60 minutes by minute and the last 24 hours by hour, ending at `now`. */
export function trendWindows(now: Date): { minutes: TrendWindow; hours: TrendWindow } {
  const window = (granularity: Granularity, stepMs: number, points: number): TrendWindow => ({
    granularity,
    stepMs,
    since: new Date(now.getTime() - points * stepMs),
    from: new Date(now.getTime() - (points - 1) * stepMs),
    to: now,
  });
  return { minutes: window('minute', MINUTE, 60), hours: window('hour', HOUR, 24) };
}

export function fillSeries(points: SeriesPoint[], from: Date, to: Date, stepMs: number): SeriesPoint[] {
  const byTime = new Map(points.map((p) => [Date.parse(p.bucket), p.count]));
  const start = Math.floor(from.getTime() / stepMs) * stepMs;
  const out: SeriesPoint[] = [];
  for (let t = start; t <= to.getTime(); t += stepMs) out.push({ bucket: new Date(t).toISOString(), count: byTime.get(t) ?? 0 });
  return out;
}
