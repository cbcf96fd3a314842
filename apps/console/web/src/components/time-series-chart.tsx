// A time series drawn with uPlot (canvas), in the theme's colours and the user's timezone. The canvas is
// decorative for assistive tech: callers put the same numbers in text or a table next to it.
import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useTimezone } from '../app/preferences';
import { axisTimeFormat } from './time';

export interface Point {
  /** ms epoch */
  t: number;
  v: number;
}

/** Changes when the theme does (the OS scheme, or the data-theme the user picks): the canvas is redrawn in its colours. */
function useThemeVersion(): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const bump = () => setVersion((v) => v + 1);
    const scheme = window.matchMedia('(prefers-color-scheme: dark)');
    scheme.addEventListener('change', bump);
    const attr = new MutationObserver(bump);
    attr.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => {
      scheme.removeEventListener('change', bump);
      attr.disconnect();
    };
  }, []);
  return version;
}

const cssVar = (name: string): string => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';

export function TimeSeriesChart({
  points,
  label,
  height = 180,
  yRange,
  forecast,
  format,
}: {
  points: Point[];
  label: string;
  height?: number;
  yRange?: [number, number];
  /** A projection drawn dashed after the measured points (e.g. a size trend up to its limit). */
  forecast?: Point[];
  /** Labels of the y axis (bytes, ms, %). */
  format?: (v: number) => string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const zone = useTimezone();
  const theme = useThemeVersion();
  useEffect(() => {
    const el = box.current;
    if (!el || points.length < 2) return;
    const text = cssVar('--muted');
    const grid = cssVar('--border');
    const opts: uPlot.Options = {
      width: el.clientWidth || 600,
      height,
      tzDate: zone === 'utc' ? (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC') : (ts) => new Date(ts * 1000),
      legend: { show: false },
      cursor: { y: false },
      scales: { x: { time: true }, y: yRange ? { range: yRange } : { auto: true } },
      axes: [
        {
          stroke: text,
          grid: { stroke: grid, width: 1 },
          ticks: { stroke: grid },
          // Room for a 24-hour time label between ticks, so narrow charts do not run them together.
          space: 72,
          // uPlot's own labels are 12-hour; the console's times are 24-hour in the chosen timezone.
          values: (_u, splits, _axis, _space, increment) => {
            const f = axisTimeFormat(zone, increment);
            return splits.map((s) => f.format(new Date(s * 1000)));
          },
        },
        { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, size: format ? 80 : 40, ...(format ? { values: (_u: uPlot, splits: number[]) => splits.map(format) } : {}) },
      ],
      series: [
        {},
        { label, stroke: cssVar('--accent'), width: 2, points: { show: points.length < 40 } },
        ...(forecast?.length ? [{ label: `${label} forecast`, stroke: cssVar('--warning'), width: 2, dash: [6, 4], points: { show: false } }] : []),
      ],
    };
    // Measured and forecast points share one x axis: each series is null where it has no point.
    const xs = [...new Set([...points, ...(forecast ?? [])].map((p) => p.t / 1000))].sort((a, b) => a - b);
    const at = (list: Point[]) => {
      const m = new Map(list.map((p) => [p.t / 1000, p.v]));
      return xs.map((x) => m.get(x) ?? null);
    };
    const data: uPlot.AlignedData = forecast?.length ? [xs, at(points), at(forecast)] : [points.map((p) => p.t / 1000), points.map((p) => p.v)];
    const chart = new uPlot(opts, data, el);
    const resize = new ResizeObserver(() => chart.setSize({ width: el.clientWidth, height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [points, label, height, yRange, zone, forecast, format, theme]);
  if (points.length < 2) return <p className="muted">Not enough points for a chart yet.</p>;
  return <div ref={box} className="chart" aria-hidden="true" />;
}
