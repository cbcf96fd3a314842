// The 24-hour strip of one alert (by fingerprint): a bar per time it was open, on a track of the whole day.
import { formatDuration } from '../../components/time';

export interface Interval {
  from: string;
  to: string | null;
}

/** Intervals clipped to the window, in ms; open ones run to `to`. */
export function stripSegments(intervals: readonly Interval[], from: number, to: number): { start: number; end: number }[] {
  return intervals
    .map((i) => ({ start: Math.max(from, Date.parse(i.from)), end: Math.min(to, i.to ? Date.parse(i.to) : to) }))
    .filter((s) => s.end > s.start || s.end === to);
}

export function FiringStrip({ intervals, from, to, severity, name }: { intervals: readonly Interval[]; from: number; to: number; severity: string; name: string }) {
  const w = 144;
  const h = 14;
  const span = to - from || 1;
  const segs = stripSegments(intervals, from, to);
  const total = segs.reduce((n, s) => n + (s.end - s.start), 0);
  const x = (t: number) => ((t - from) / span) * w;
  const label = `${name}: open ${segs.length} time${segs.length === 1 ? '' : 's'} in the last 24 h, ${formatDuration(total / 1000)} in all`;
  return (
    <svg className={`firing-strip ${severity}`} width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-label={label}>
      <title>{label}</title>
      <rect className="strip-track" x="0" y="3" width={w} height={h - 6} rx="2" />
      {[0.25, 0.5, 0.75].map((f) => (
        <line key={f} className="strip-tick" x1={w * f} x2={w * f} y1="1" y2={h - 1} />
      ))}
      {segs.map((s, i) => {
        // At least 3 px wide, and inside the track even when it just started.
        const width = Math.max(3, x(s.end) - x(s.start));
        return <rect key={i} className="strip-bar" x={Math.min(x(s.start), w - width)} y="2" width={width} height={h - 4} rx="1.5" />;
      })}
    </svg>
  );
}
