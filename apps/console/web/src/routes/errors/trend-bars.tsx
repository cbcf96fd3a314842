// The issue stream's 24 h trend: one bar per hour (oldest left), scaled to the issue's own busiest hour.
export function TrendBars({ hours, label, width = 88, height = 24 }: { hours: number[]; label: string; width?: number; height?: number }) {
  const max = Math.max(1, ...hours);
  const total = hours.reduce((a, b) => a + b, 0);
  const step = width / Math.max(1, hours.length);
  return (
    <svg className="trend-bars" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${label}: ${total} events in 24 h, busiest hour ${Math.max(0, ...hours)}`}>
      <line className="trend-base" x1="0" x2={width} y1={height - 0.5} y2={height - 0.5} />
      {hours.map((n, i) => {
        if (!n) return null;
        const h = Math.max(2, (n / max) * (height - 2));
        return <rect key={i} x={i * step + 0.5} y={height - h} width={Math.max(1, step - 1)} height={h} rx="0.5" />;
      })}
    </svg>
  );
}
