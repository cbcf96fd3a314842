// A time series drawn with uPlot (canvas), in the theme's colours and the user's timezone. The canvas is
// decorative for assistive tech: callers put the same numbers in text or a table next to it.
import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useTimezone } from '../app/preferences';
import { axisLabelFormat, timeTicks, zoneOffset, type AxisUnit, type TimeTicks } from './time-axis';

export interface Point {
  /** ms epoch */
  t: number;
  v: number;
}

/** Changes when the theme does (the preference on <html>, or the system's scheme under "auto"): the canvas is redrawn in its colours. */
const schemeKey = (): string => `${document.documentElement.dataset.theme ?? ''}:${matchMedia('(prefers-color-scheme: dark)').matches}`;
function useSchemeKey(): string {
  const [key, setKey] = useState(schemeKey);
  useEffect(() => {
    const update = () => setKey(schemeKey());
    const media = matchMedia('(prefers-color-scheme: dark)');
    media.addEventListener('change', update);
    const attributes = new MutationObserver(update);
    attributes.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => {
      media.removeEventListener('change', update);
      attributes.disconnect();
    };
  }, []);
  return key;
}

const cssVar = (name: string): string => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';

/** uPlot's axis font, set explicitly so labels are measured in the font they are drawn in. */
const AXIS_FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif';
/** A wide time of each unit (two-digit day, late hour): the labels of an axis are no wider than it. */
const WIDEST = new Date(2026, 11, 28, 23, 58, 58);
let measure: CanvasRenderingContext2D | null | undefined;
function textWidth(text: string): number {
  measure ??= document.createElement('canvas').getContext('2d');
  if (!measure) return text.length * 7;
  measure.font = AXIS_FONT;
  return measure.measureText(text).width;
}

export interface ChartTarget {
  /** A horizontal line (e.g. an objective's target) drawn dashed across the whole chart. */
  value: number;
  label: string;
}

export function TimeSeriesChart({
  points,
  label,
  height = 180,
  yRange,
  target,
  forecast,
  formatValue,
}: {
  points: Point[];
  label: string;
  height?: number;
  yRange?: [number, number];
  target?: ChartTarget;
  /** A projection drawn dashed after the measured points (e.g. a size trend up to its limit). */
  forecast?: Point[];
  /** Labels of the value axis (durations, bytes, %); plain numbers when absent. */
  formatValue?: (v: number) => string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const zone = useTimezone();
  const scheme = useSchemeKey();
  useEffect(() => {
    const el = box.current;
    if (!el || points.length < 2) return;
    const text = cssVar('--muted');
    const grid = cssVar('--border');
    const formats = new Map<AxisUnit, Intl.DateTimeFormat>();
    const format = (unit: AxisUnit) => formats.get(unit) ?? formats.set(unit, axisLabelFormat(zone, unit)).get(unit)!;
    let width = el.clientWidth || 600;
    let xTicks: TimeTicks | undefined;
    const opts: uPlot.Options = {
      width: el.clientWidth || 600,
      height,
      tzDate: zone === 'utc' ? (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC') : (ts) => new Date(ts * 1000),
      legend: { show: false },
      cursor: { y: false },
      // With a target line, the range includes it (a value far under its target still shows the target).
      scales: {
        x: { time: true },
        y: yRange ? { range: yRange } : target ? { range: (_u, min, max) => [0, Math.max(max, target.value) * 1.1 || 1] } : { auto: true },
      },
      axes: [
        {
          stroke: text,
          font: AXIS_FONT,
          grid: { stroke: grid, width: 1 },
          ticks: { stroke: grid },
          // uPlot hands the plot's width to `space` first; the ticks are then chosen for it (time-axis.ts), and
          // labelled 24-hour in the chosen timezone, in the unit the ticks need.
          space: (_u, _axis, _min, _max, plotWidth) => {
            width = plotWidth;
            return 1;
          },
          splits: (_u, _axis, min, max) => {
            xTicks = timeTicks(min, max, width, { labelWidth: (unit) => textWidth(format(unit).format(WIDEST)), offsetSeconds: zoneOffset(zone) });
            return xTicks.splits;
          },
          values: (_u, splits) => {
            const f = format(xTicks?.unit ?? 'second');
            return splits.map((s) => f.format(new Date(s * 1000)));
          },
        },
        {
          stroke: text,
          grid: { stroke: grid, width: 1 },
          ticks: { stroke: grid },
          size: formatValue ? 72 : 40,
          ...(formatValue ? { values: (_u: uPlot, splits: number[]) => splits.map(formatValue) } : {}),
        },
      ],
      // The labels as drawn (text, left and right edge in CSS px of the plot), on the element for the browser tests.
      hooks: {
        draw: [
          (u) => {
            const f = format(xTicks?.unit ?? 'second');
            const drawn = (xTicks?.splits ?? []).map((t) => {
              const text = f.format(new Date(t * 1000));
              const x = u.valToPos(t, 'x');
              const w = textWidth(text);
              return { text, left: Math.round(x - w / 2), right: Math.round(x + w / 2) };
            });
            el.dataset.xLabels = JSON.stringify(drawn);
          },
        ],
      },
      series: [
        {},
        { label, stroke: cssVar('--accent'), width: 2, points: { show: points.length < 40 } },
        ...(target ? [{ label: target.label, stroke: cssVar('--critical'), width: 1.5, dash: [6, 4], points: { show: false } }] : []),
        ...(forecast?.length ? [{ label: `${label} forecast`, stroke: cssVar('--warning'), width: 2, dash: [6, 4], points: { show: false } }] : []),
      ],
    };
    // Measured and forecast points share one x axis: each series is null where it has no point.
    const xs = [...new Set([...points, ...(forecast ?? [])].map((p) => p.t / 1000))].sort((a, b) => a - b);
    const at = (list: Point[]) => {
      const m = new Map(list.map((p) => [p.t / 1000, p.v]));
      return xs.map((x) => m.get(x) ?? null);
    };
    const data: uPlot.AlignedData = [xs, at(points), ...(target ? [xs.map(() => target.value)] : []), ...(forecast?.length ? [at(forecast)] : [])];
    const chart = new uPlot(opts, data, el);
    const resize = new ResizeObserver(() => chart.setSize({ width: el.clientWidth, height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [points, label, height, yRange, zone, target?.value, target?.label, forecast, formatValue, scheme]);
  if (points.length < 2) return <p className="muted">Not enough points for a chart yet.</p>;
  return <div ref={box} className="chart" aria-hidden="true" />;
}
