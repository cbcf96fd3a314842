// A small trend line (health score over 7 days). SVG, so it needs no chart library in the overview
// bundle; the detail screens use uPlot for real time series.
//
// The x axis is the whole window (a week of scores fills it; two days of scores fill the right two
// sevenths). The y axis fits the scores with at least `minSpan` points of room (inside min..max), so a
// drop of a few points is visible and a steady 100 runs along the top of its box; the scores' range is
// printed beside it.
export interface SparkPoint {
  t: number;
  v: number;
}

export function sparkRange(points: SparkPoint[], min: number, max: number, minSpan: number): { lo: number; hi: number } {
  const values = points.map((p) => p.v);
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (hi - lo < minSpan) {
    const mid = (lo + hi) / 2;
    lo = mid - minSpan / 2;
    hi = mid + minSpan / 2;
    if (lo < min) [lo, hi] = [min, min + minSpan];
    if (hi > max) [lo, hi] = [max - minSpan, max];
  }
  return { lo, hi };
}

export function Sparkline({
  points,
  from,
  to,
  min = 0,
  max = 100,
  minSpan = 20,
  label,
}: {
  points: SparkPoint[];
  /** The window (ms epoch): the x axis spans it whatever the points cover. */
  from: number;
  to: number;
  min?: number;
  max?: number;
  minSpan?: number;
  label: string;
}) {
  const w = 84;
  const h = 24;
  const pad = 4;
  if (points.length < 2) return <span className="sparkline-empty muted">{points.length ? 'one score so far' : 'no trend yet'}</span>;
  const { lo, hi } = sparkRange(points, min, max, minSpan);
  const x = (t: number) => pad + ((Math.min(Math.max(t, from), to) - from) / (to - from || 1)) * (w - 2 * pad);
  const y = (v: number) => h - pad - ((v - lo) / (hi - lo || 1)) * (h - 2 * pad);
  const line = points.map((p, i) => `${i ? 'L' : 'M'}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ');
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const area = `${line} L${x(last.t).toFixed(1)},${h - pad} L${x(first.t).toFixed(1)},${h - pad} Z`;
  const values = points.map((p) => p.v);
  const shownLo = Math.min(...values);
  const shownHi = Math.max(...values);
  return (
    <span className="sparkline">
      <svg width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-label={`${label}, between ${shownLo} and ${shownHi}`}>
        <rect className="spark-frame" x="0.5" y="0.5" width={w - 1} height={h - 1} rx="3" />
        <path className="spark-area" d={area} />
        <path className="spark-line" d={line} />
        <circle className="spark-dot" cx={x(last.t)} cy={y(last.v)} r="2.2" />
      </svg>
      <span className="spark-range" aria-hidden="true" title="lowest–highest score in 7 days">
        {shownLo}–{shownHi}
      </span>
    </span>
  );
}
