// Number formats of the database screens (en-GB grouping, units spelled as PgHero does).
const n0 = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const n1 = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });
const n2 = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 });

export const count = (v: number | null | undefined): string => (v === null || v === undefined ? '–' : n0.format(v));

export function ms(v: number | null | undefined): string {
  if (v === null || v === undefined) return '–';
  if (v >= 60_000) return `${n1.format(v / 60_000)} min`;
  if (v >= 1_000) return `${n2.format(v / 1_000)} s`;
  if (v >= 10) return `${n0.format(v)} ms`;
  return `${n2.format(v)} ms`;
}

export function bytes(v: number | null | undefined): string {
  if (v === null || v === undefined) return '–';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let x = v;
  let u = 0;
  while (Math.abs(x) >= 1024 && u < units.length - 1) {
    x /= 1024;
    u++;
  }
  return `${u ? n1.format(x) : n0.format(x)} ${units[u]}`;
}

export const pct = (v: number | null | undefined, digits = 1): string =>
  v === null || v === undefined ? '–' : `${new Intl.NumberFormat('en-GB', { maximumFractionDigits: digits }).format(v)} %`;

export const cost = (v: number | null | undefined): string => (v === null || v === undefined ? '–' : n1.format(v));

export function days(v: number | null | undefined): string {
  if (v === null || v === undefined) return 'not forecast';
  if (v >= 1) return `${n0.format(v)} day${Math.round(v) === 1 ? '' : 's'}`;
  const h = Math.max(1, Math.round(v * 24));
  return `${h} hour${h === 1 ? '' : 's'}`;
}

/** A check's value in its unit. */
export function checkValue(value: number | null, unit: string): string {
  if (value === null) return '–';
  if (unit === 'ms') return ms(value);
  if (unit === '%') return pct(value);
  if (unit === '/h') return `${n1.format(value)} per hour`;
  return `${n1.format(value)} ${unit}`;
}

export const scoreLevel = (score: number | undefined): 'ok' | 'warning' | 'critical' | '' => (score === undefined ? '' : score >= 80 ? 'ok' : score >= 60 ? 'warning' : 'critical');
