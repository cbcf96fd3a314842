// Trend series with the empty buckets filled in, oldest first.
export function fillSeries(points: { bucket: string; count: number }[], from: Date, to: Date, stepMs: number): { bucket: string; count: number }[] {
  const byTime = new Map(points.map((p) => [Date.parse(p.bucket), p.count]));
  const start = Math.floor(from.getTime() / stepMs) * stepMs;
  const out: { bucket: string; count: number }[] = [];
  for (let t = start; t <= to.getTime(); t += stepMs) out.push({ bucket: new Date(t).toISOString(), count: byTime.get(t) ?? 0 });
  return out;
}
