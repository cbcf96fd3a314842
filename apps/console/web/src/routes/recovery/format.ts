// Durations of this area: restores take well under a second on small databases, so tenths below 10 s.
import { formatDuration } from '../../components/time';

export const formatSeconds = (s: number | null | undefined): string => {
  if (s === null || s === undefined) return '—';
  if (s === 0) return '0';
  return Math.abs(s) < 10 ? `${s.toFixed(1)} s` : formatDuration(s);
};

export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 && i ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

/** Chart axis labels: exact at the tick values (the rounding of formatDuration would label 100 s "2 min"). */
export function formatAxisSeconds(s: number): string {
  if (s === 0) return '0';
  const round1 = (v: number) => String(Math.round(v * 10) / 10);
  if (Math.abs(s) < 120) return `${round1(s)} s`;
  if (Math.abs(s) < 7_200) return `${round1(s / 60)} min`;
  if (Math.abs(s) < 172_800) return `${round1(s / 3600)} h`;
  return `${round1(s / 86_400)} d`;
}
