// Capacity planning: least-squares trends of size, connections and QPS, and the days left
// until the disk and connection limits at that trend. Pure.

export interface Point {
  at: string;
  value: number;
}

export interface Trend {
  latest: number;
  perDay: number;
}

const DAY_MS = 86_400_000;

/** Least-squares slope per day; undefined with fewer than two points or no time span. */
export function trend(points: Point[]): Trend | undefined {
  if (points.length < 2) return undefined;
  const xs = points.map((p) => Date.parse(p.at) / DAY_MS);
  const ys = points.map((p) => p.value);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  if (den === 0) return undefined;
  return { latest: ys[ys.length - 1]!, perDay: num / den };
}

/** Days until `limit` at the trend, or null when not growing or no limit is known. */
export function daysUntil(t: Trend | undefined, limit: number | null | undefined): number | null {
  if (!t || !limit || t.perDay <= 0) return null;
  if (t.latest >= limit) return 0;
  return Number(((limit - t.latest) / t.perDay).toPrecision(4));
}

export interface CapacityInput {
  size: Point[];
  connections: Point[];
  qps: Point[];
  maxConnections: number | null;
  diskLimitBytes: number | null;
  tables: { name: string; first: Point; last: Point }[];
}

export function capacityReport(i: CapacityInput) {
  const size = trend(i.size);
  const conns = trend(i.connections);
  const qps = trend(i.qps);
  const diskDays = daysUntil(size, i.diskLimitBytes);
  const connDays = daysUntil(conns, i.maxConnections);
  const notes: string[] = [];
  if (!size) notes.push('not enough samples for a size trend yet');
  if (!i.diskLimitBytes) notes.push('no diskLimitBytes set on this database: days until the disk is full cannot be forecast');
  if (diskDays !== null && diskDays < 30) notes.push(`disk full in ${diskDays} days at the current growth`);
  if (connDays !== null && connDays < 30) notes.push(`max_connections reached in ${connDays} days at the current trend`);
  const tables = i.tables
    .map((t) => {
      const days = (Date.parse(t.last.at) - Date.parse(t.first.at)) / DAY_MS;
      return { table: t.name, bytes: t.last.value, growthBytesPerDay: days > 0 ? Math.round((t.last.value - t.first.value) / days) : 0 };
    })
    .sort((a, b) => b.growthBytesPerDay - a.growthBytesPerDay || b.bytes - a.bytes)
    .slice(0, 10);
  return {
    database: { sizeBytes: size?.latest ?? i.size.at(-1)?.value ?? null, growthBytesPerDay: size ? Math.round(size.perDay) : null, diskLimitBytes: i.diskLimitBytes, daysUntilDiskFull: diskDays },
    connections: { current: conns?.latest ?? i.connections.at(-1)?.value ?? null, max: i.maxConnections, growthPerDay: conns ? conns.perDay : null, daysUntilLimit: connDays },
    qps: { current: qps?.latest ?? i.qps.at(-1)?.value ?? null, growthPerDay: qps ? qps.perDay : null },
    tables,
    notes,
  };
}
