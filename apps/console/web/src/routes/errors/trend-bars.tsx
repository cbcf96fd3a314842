// The issue stream's 24 h trend: one bar per hour (oldest left), scaled to the issue's own busiest hour.
// All bars are one <path> (a rectangle per busy hour): the stream mounts a couple of dozen rows per frame
// while scrolling, and one element per row costs far less to create, lay out and paint than 24 <rect>s.
export function trendPath(hours: number[], width: number, height: number): string {
  const max = Math.max(1, ...hours);
  const step = width / Math.max(1, hours.length);
  const w = Math.max(1, step - 1).toFixed(2);
  let d = '';
  for (let i = 0; i < hours.length; i++) {
    const n = hours[i]!;
    if (!n) continue;
    const h = Math.max(2, (n / max) * (height - 2));
    d += `M${(i * step + 0.5).toFixed(2)} ${height}v${(-h).toFixed(2)}h${w}v${h.toFixed(2)}z`;
  }
  return d;
}

export function TrendBars({ hours, label, width = 88, height = 24 }: { hours: number[]; label: string; width?: number; height?: number }) {
  const total = hours.reduce((a, b) => a + b, 0);
  return (
    <svg className="trend-bars" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${label}: ${total} events in 24 h, busiest hour ${Math.max(0, ...hours)}`}>
      <line className="trend-base" x1="0" x2={width} y1={height - 0.5} y2={height - 0.5} />
      <path className="trend-bar" d={trendPath(hours, width, height)} />
    </svg>
  );
}
