// Every time the console shows: relative ("3 min ago"), with the absolute time in the tooltip, in the
// user's timezone (local or UTC).
import { useEffect, useState } from 'react';
import { useTimezone } from '../app/preferences';

type Zone = 'local' | 'utc';

const formatters = new Map<Zone, Intl.DateTimeFormat>();
function absoluteFormat(zone: Zone): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat(undefined, {
      year: 'numeric',
      month: 'short',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZone: zone === 'utc' ? 'UTC' : undefined,
      timeZoneName: 'short',
    });
    formatters.set(zone, f);
  }
  return f;
}

export const formatAbsolute = (at: Date, zone: Zone): string => absoluteFormat(zone).format(at);

/**
 * Labels for a chart's time axis, 24-hour like every other time in the console and in the user's timezone:
 * dates when the ticks are a day or more apart, else hours and minutes (and seconds below a minute).
 */
export function axisTimeFormat(zone: Zone, incrementSeconds: number): Intl.DateTimeFormat {
  const timeZone = zone === 'utc' ? 'UTC' : undefined;
  if (incrementSeconds >= 86_400) return new Intl.DateTimeFormat(undefined, { day: '2-digit', month: 'short', timeZone });
  if (incrementSeconds >= 60) return new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone });
  return new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZone });
}

const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' });
const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 30],
  ['month', 12],
  ['year', Infinity],
];

export function formatRelative(at: Date, now: number): string {
  let value = (at.getTime() - now) / 1000;
  if (Math.abs(value) < 5) return 'just now';
  for (const [unit, size] of STEPS) {
    if (Math.abs(value) < size) return rtf.format(roundAway(value), unit);
    value /= size;
  }
  return rtf.format(roundAway(value), 'year');
}
/** A time that has passed, against a clock that may lag it (a shared tick): never "in …". */
export const formatPast = (at: Date, now: number): string => formatRelative(at.getTime() > now ? new Date(now) : at, now);

/** 1.5 minutes ago is "2 min ago", as 1.5 minutes ahead is "in 2 min". */
const roundAway = (v: number): number => Math.sign(v) * Math.round(Math.abs(v));

/** Durations such as RPO targets and ages: "26 h", "3 d 4 h", "45 min". */
export function formatDuration(seconds: number): string {
  const s = Math.abs(seconds);
  if (s < 60) return `${Math.round(s)} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  if (s < 86_400 * 2) return `${Math.round(s / 3600)} h`;
  const d = Math.floor(s / 86_400);
  const h = Math.round((s % 86_400) / 3600);
  return h ? `${d} d ${h} h` : `${d} d`;
}

const tickers = new Set<(n: number) => void>();
let timer: ReturnType<typeof setInterval> | undefined;

/** The time now, for relative times: one shared timer re-renders them every 15 s; a render reads the clock. */
export function useNow(): number {
  useTick();
  return Date.now();
}

/**
 * The time of the shared timer's last tick (every 15 s): unlike useNow it stays the same between ticks
 * however often the component renders, so it can go to memoised children (the issue stream's rows) as a prop.
 */
export function useTick(): number {
  const [tick, setTick] = useState(Date.now);
  useEffect(() => {
    tickers.add(setTick);
    timer ??= setInterval(() => tickers.forEach((t) => t(Date.now())), 15_000);
    return () => {
      tickers.delete(setTick);
      if (!tickers.size && timer) {
        clearInterval(timer);
        timer = undefined;
      }
    };
  }, []);
  return tick;
}

export function Time({ at, mode = 'relative' }: { at: string | Date | null | undefined; mode?: 'relative' | 'absolute' }) {
  const zone = useTimezone();
  const current = useNow();
  if (!at) return <span className="muted">never</span>;
  const date = at instanceof Date ? at : new Date(at);
  if (Number.isNaN(date.getTime())) return <span>{String(at)}</span>;
  const absolute = formatAbsolute(date, zone);
  return (
    <time dateTime={date.toISOString()} title={absolute}>
      {mode === 'relative' ? formatRelative(date, current) : absolute}
    </time>
  );
}
