// The time axis of a chart: ticks chosen by the room there is, labels in a format that fits the span.
// uPlot's own choice only keeps a fixed number of pixels between ticks whatever the label says, and
// labels every tick of a sub-second step the same "10:40:55"; here the step is the smallest round one
// whose label fits beside the next, measured in the font it is drawn in.

/** What a label shows: its unit is the smallest that tells neighbouring ticks apart. */
export type AxisUnit = 'second' | 'minute' | 'day' | 'day-minute';

export interface TimeTicks {
  /** Tick positions, seconds since the epoch, inside [min, max]. */
  splits: number[];
  /** Seconds between ticks. */
  step: number;
  unit: AxisUnit;
}

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86_400;
/** Round steps, in seconds: 1, 2, 5, 10, 15, 30 s; 1, 2, 5, 10, 15, 30 min; 1, 2, 3, 6, 12 h; 1, 2, 7, 14, 30, 91, 365 d. */
export const TIME_STEPS = [
  1, 2, 5, 10, 15, 30,
  MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE,
  HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR,
  DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY, 91 * DAY, 365 * DAY,
] as const;

/** Seconds when ticks are under a minute apart; the date once ticks are days apart, or hours apart across days. */
export function axisUnit(stepSeconds: number, spanSeconds: number): AxisUnit {
  if (stepSeconds < MINUTE) return 'second';
  if (stepSeconds >= DAY) return 'day';
  return spanSeconds > DAY ? 'day-minute' : 'minute';
}

export interface TickRoom {
  /** Width in CSS pixels of a label in a unit (measured in the axis font). */
  labelWidth: (unit: AxisUnit) => number;
  /** Free pixels at least between two labels. */
  gapPx?: number;
  /** The timezone's offset from UTC at a time, seconds east (0 for UTC): ticks fall on round local times. */
  offsetSeconds?: (t: number) => number;
}

export function timeTicks(min: number, max: number, widthPx: number, room: TickRoom): TimeTicks {
  const span = Math.max(0, max - min);
  const gap = room.gapPx ?? 16;
  const offset = room.offsetSeconds ?? (() => 0);
  const pxPerSecond = span > 0 ? Math.max(0, widthPx) / span : Infinity;
  let step: number = TIME_STEPS.at(-1)!;
  for (const s of TIME_STEPS) {
    if (s * pxPerSecond >= room.labelWidth(axisUnit(s, span)) + gap) {
      step = s;
      break;
    }
  }
  const unit = axisUnit(step, span);
  const splits: number[] = [];
  // The first round local time at or after min; steps of a day or less divide the day, so every tick is round.
  const local = min + offset(min);
  let t = Math.ceil(local / step) * step - offset(min);
  for (; t <= max && splits.length < 1000; t += step) splits.push(t);
  // A span shorter than one step (points a fraction of a second apart) still gets one label: where it starts.
  if (!splits.length) splits.push(min);
  return { splits, step, unit };
}

/** Labels in a unit, 24-hour like every other time in the console, in the chosen timezone. */
export function axisLabelFormat(zone: 'local' | 'utc', unit: AxisUnit): Intl.DateTimeFormat {
  const timeZone = zone === 'utc' ? 'UTC' : undefined;
  const time = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone } as const;
  if (unit === 'second') return new Intl.DateTimeFormat(undefined, { ...time, second: '2-digit' });
  if (unit === 'minute') return new Intl.DateTimeFormat(undefined, time);
  if (unit === 'day-minute') return new Intl.DateTimeFormat(undefined, { ...time, day: '2-digit', month: 'short' });
  return new Intl.DateTimeFormat(undefined, { day: '2-digit', month: 'short', timeZone });
}

/** The zone's offset at a time, seconds east of UTC. */
export const zoneOffset = (zone: 'local' | 'utc') => (t: number): number => (zone === 'utc' ? 0 : -new Date(t * 1000).getTimezoneOffset() * 60);
