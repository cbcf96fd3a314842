// How the report writes its figures: durations, percentages, UTC times. One place, so the page, the
// print page (and the PDF made from it) show the same text.
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 90 * 60) return `${(seconds / 60).toFixed(1)} min`;
  if (seconds < 48 * 3600) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} d`;
}

export const formatPercent = (ratio: number | null, digits = 1): string => (ratio === null ? '—' : `${(ratio * 100).toFixed(digits)} %`);

const utc = new Intl.DateTimeFormat('en-GB', { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' });
const utcDay = new Intl.DateTimeFormat('en-GB', { year: 'numeric', month: 'short', day: '2-digit', timeZone: 'UTC' });
const utcTime = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' });
export const formatUtc = (iso: string | null): string => (iso ? `${utc.format(new Date(iso))} UTC` : '—');
export const formatDay = (iso: string): string => utcDay.format(new Date(iso));

/** A period's end is exclusive: a period to 2026-12-08T00:00Z reads "… – 7 Dec 2026". */
export function formatPeriod(from: string, to: string): string {
  const end = new Date(new Date(to).getTime() - 1);
  const midnight = (iso: string) => iso.endsWith('T00:00:00.000Z');
  if (midnight(from) && midnight(to)) return `${formatDay(from)} – ${formatDay(end.toISOString())}`;
  if (from.slice(0, 10) === to.slice(0, 10)) return `${utc.format(new Date(from))} – ${utcTime.format(new Date(to))} UTC`;
  return `${formatUtc(from)} – ${formatUtc(to)}`;
}
