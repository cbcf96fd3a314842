// A time series drawn with uPlot (canvas), in the theme's colours and the user's timezone. The canvas is
// decorative for assistive tech: callers put the same numbers in text or a table next to it.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useTimezone } from '../app/preferences';
import { axisTimeFormat } from './time';

export interface Point {
  /** ms epoch */
  t: number;
  v: number;
}

const cssVar = (name: string): string => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';

export function TimeSeriesChart({ points, label, height = 180, yRange }: { points: Point[]; label: string; height?: number; yRange?: [number, number] }) {
  const box = useRef<HTMLDivElement>(null);
  const zone = useTimezone();
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
          // uPlot's own labels are 12-hour; the console's times are 24-hour in the chosen timezone.
          values: (_u, splits, _axis, _space, increment) => {
            const f = axisTimeFormat(zone, increment);
            return splits.map((s) => f.format(new Date(s * 1000)));
          },
        },
        { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, size: 40 },
      ],
      series: [{}, { label, stroke: cssVar('--accent'), width: 2, points: { show: points.length < 40 } }],
    };
    const chart = new uPlot(opts, [points.map((p) => p.t / 1000), points.map((p) => p.v)], el);
    const resize = new ResizeObserver(() => chart.setSize({ width: el.clientWidth, height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [points, label, height, yRange, zone]);
  if (points.length < 2) return <p className="muted">Not enough points for a chart yet.</p>;
  return <div ref={box} className="chart" aria-hidden="true" />;
}
