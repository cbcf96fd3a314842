// A small trend line of one statement's per-interval values (mean time, calls). SVG; the numbers it
// summarises are in the table cells beside it.
export function MetricSpark({ values, label }: { values: number[]; label: string }) {
  const w = 96;
  const h = 24;
  const pad = 3;
  if (values.length < 2) return <span className="muted small">{values.length ? 'one interval' : '–'}</span>;
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const x = (i: number) => pad + (i / (values.length - 1)) * (w - 2 * pad);
  const y = (v: number) => h - pad - ((v - lo) / (hi - lo || 1)) * (h - 2 * pad);
  const line = values.map((v, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  return (
    <svg className="metric-spark" width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-label={label}>
      <path className="spark-area" d={`${line} L${x(values.length - 1).toFixed(1)},${h - pad} L${x(0).toFixed(1)},${h - pad} Z`} />
      <path className="spark-line" d={line} />
      <circle className="spark-dot" cx={x(values.length - 1)} cy={y(values.at(-1)!)} r="2" />
    </svg>
  );
}
