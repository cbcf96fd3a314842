import { describe, expect, it } from 'vitest';
import { axisLabelFormat, timeTicks, TIME_STEPS, type AxisUnit, type TickRoom } from './time-axis';

// Roughly 12px system-ui: "10:40:55" ≈ 50 px, "10:40" ≈ 32 px, "01 Dec" ≈ 40 px, "01 Dec, 10:40" ≈ 80 px.
const WIDTH: Record<AxisUnit, number> = { second: 50, minute: 32, day: 40, 'day-minute': 80 };
const room: TickRoom = { labelWidth: (u) => WIDTH[u], gapPx: 16 };
const t0 = Date.parse('2026-12-01T10:40:53Z') / 1000;
const utc = (unit: AxisUnit, splits: number[]) => splits.map((s) => axisLabelFormat('utc', unit).format(new Date(s * 1000)));

/** Left and right edge of each label, centred on its tick, in pixels of a plot `width` wide. */
function labelBoxes(min: number, max: number, width: number, ticks: ReturnType<typeof timeTicks>) {
  const w = WIDTH[ticks.unit];
  return ticks.splits.map((s) => {
    const x = max > min ? ((s - min) / (max - min)) * width : 0;
    return [x - w / 2, x + w / 2] as const;
  });
}

describe('the time axis of a chart', () => {
  it('labels restores seconds apart in seconds, each label different', () => {
    // The recovery page: a verification and a drill 10 s apart, on a chart 420 px wide.
    const ticks = timeTicks(t0, t0 + 10, 420, room);
    expect(ticks.unit).toBe('second');
    const labels = utc(ticks.unit, ticks.splits);
    expect(new Set(labels).size).toBe(labels.length);
    expect(labels[0]).toMatch(/^10:40:5\d$/);
    expect(labels.length).toBeGreaterThanOrEqual(2);
  });

  it('never puts two labels closer than the gap, whatever the span and width', () => {
    for (const span of [0.5, 2, 3, 10, 47, 90, 600, 3_000, 4 * 3600, 26 * 3600, 3 * 86_400, 20 * 86_400, 90 * 86_400]) {
      for (const width of [120, 260, 420, 700, 1200]) {
        const ticks = timeTicks(t0, t0 + span, width, room);
        const boxes = labelBoxes(t0, t0 + span, width, ticks);
        for (let i = 1; i < boxes.length; i++) expect(boxes[i]![0] - boxes[i - 1]![1], `span ${span} s on ${width} px`).toBeGreaterThanOrEqual(16 - 1e-9);
        expect(ticks.splits.every((s) => s >= t0 && s <= t0 + span)).toBe(true);
      }
    }
  });

  it('takes the smallest round step that fits: more ticks on a wider chart', () => {
    expect(timeTicks(t0, t0 + 60, 1200, room).step).toBe(5);
    expect(timeTicks(t0, t0 + 60, 420, room).step).toBe(10);
    expect(timeTicks(t0, t0 + 60, 120, room).step).toBe(60);
    // A step of the list below the chosen one would not have fitted.
    const ticks = timeTicks(t0, t0 + 3600, 500, room);
    const smaller = TIME_STEPS[TIME_STEPS.indexOf(ticks.step as (typeof TIME_STEPS)[number]) - 1]!;
    expect(smaller * (500 / 3600)).toBeLessThan(WIDTH.minute + 16);
  });

  it('formats by the span: seconds over minutes, minutes over hours, dates over days', () => {
    expect(timeTicks(t0, t0 + 90, 420, room).unit).toBe('second');
    expect(timeTicks(t0, t0 + 6 * 3600, 420, room).unit).toBe('minute');
    expect(timeTicks(t0, t0 + 36 * 3600, 1200, room).unit).toBe('day-minute');
    expect(timeTicks(t0, t0 + 30 * 86_400, 420, room).unit).toBe('day');
    expect(utc('minute', [t0])).toEqual(['10:40']);
    expect(utc('day', [t0])[0]).toMatch(/01.*Dec|Dec.*01/);
  });

  it('puts ticks on round times of the chosen timezone', () => {
    const min = Date.parse('2026-12-01T10:07:00Z') / 1000;
    const inUtc = timeTicks(min, min + 6 * 3600, 420, room);
    expect(inUtc.step).toBe(3600);
    expect(utc('minute', inUtc.splits)[0]).toBe('11:00');
    // UTC+5:30: a local round hour is half past in UTC.
    const india = timeTicks(min, min + 6 * 3600, 420, { ...room, offsetSeconds: () => 5.5 * 3600 });
    expect(utc('minute', india.splits)[0]).toBe('10:30');
  });

  it('still labels a span shorter than any step (two points in the same second)', () => {
    const ticks = timeTicks(t0 + 0.2, t0 + 0.6, 420, room);
    expect(ticks.splits).toEqual([t0 + 0.2]);
    expect(ticks.unit).toBe('second');
  });
});
