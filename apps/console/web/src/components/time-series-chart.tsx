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
  formatValue,
}: {
  points: Point[];
  label: string;
  height?: number;
  yRange?: [number, number];
  target?: ChartTarget;
  /** Labels of the value axis (e.g. durations); plain numbers when absent. */
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
          grid: { stroke: grid, width: 1 },
          ticks: { stroke: grid },
          // uPlot's own labels are 12-hour; the console's times are 24-hour in the chosen timezone.
          values: (_u, splits, _axis, _space, increment) => {
            const f = axisTimeFormat(zone, increment);
            return splits.map((s) => f.format(new Date(s * 1000)));
          },
        },
        {
          stroke: text,
          grid: { stroke: grid, width: 1 },
          ticks: { stroke: grid },
          size: formatValue ? 56 : 40,
          ...(formatValue ? { values: (_u: uPlot, splits: number[]) => splits.map(formatValue) } : {}),
        },
      ],
      series: [
        {},
        { label, stroke: cssVar('--accent'), width: 2, points: { show: points.length < 40 } },
        ...(target ? [{ label: target.label, stroke: cssVar('--critical'), width: 1.5, dash: [6, 4], points: { show: false } }] : []),
      ],
    };
    const data: uPlot.AlignedData = [points.map((p) => p.t / 1000), points.map((p) => p.v), ...(target ? [points.map(() => target.value)] : [])];
    const chart = new uPlot(opts, data, el);
    const resize = new ResizeObserver(() => chart.setSize({ width: el.clientWidth, height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [points, label, height, yRange, zone, target?.value, target?.label, formatValue, scheme]);
  if (points.length < 2) return <p className="muted">Not enough points for a chart yet.</p>;
  return <div ref={box} className="chart" aria-hidden="true" />;
}
