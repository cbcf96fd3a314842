// A small trend line (health score over 7 days). SVG, so it needs no chart library in the overview
// bundle; the detail screens use uPlot for real time series.
export function Sparkline({ points, min = 0, max = 100, label }: { points: { t: number; v: number }[]; min?: number; max?: number; label: string }) {
  const w = 120;
  const h = 28;
  if (points.length < 2) return <span className="muted">{points.length ? 'one score so far' : 'no trend yet'}</span>;
  const t0 = points[0]!.t;
  const t1 = points[points.length - 1]!.t;
  const x = (t: number) => (t1 === t0 ? w : ((t - t0) / (t1 - t0)) * w);
  const y = (v: number) => h - 2 - ((v - min) / (max - min || 1)) * (h - 4);
  const d = points.map((p, i) => `${i ? 'L' : 'M'}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ');
  return (
    <svg className="sparkline" width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-label={label}>
      <path d={d} fill="none" stroke="currentColor" strokeWidth="1.5" />
    </svg>
  );
}
