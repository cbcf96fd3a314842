// An issue's event counts as bars (uPlot, canvas) with release markers (dashed) and regressions
// (solid, warning colour) drawn as vertical lines. The canvas is decorative: the same facts are
// listed beside it in text (totals, releases, the regression banner and activity).
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useTimezone } from '../../app/preferences';
import { axisTimeFormat } from '../../components/time';

export interface Marker {
  t: number;
  label: string;
  kind: 'release' | 'regression';
}

const cssVar = (name: string): string => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';

export function IssueChart({ points, stepMs, markers, height = 140 }: { points: { t: number; v: number }[]; stepMs: number; markers: Marker[]; height?: number }) {
  const box = useRef<HTMLDivElement>(null);
  const zone = useTimezone();
  useEffect(() => {
    const el = box.current;
    if (!el || !points.length) return;
    const text = cssVar('--muted');
    const grid = cssVar('--border');
    const accent = cssVar('--accent');
    const warn = cssVar('--warning');
    const drawMarkers = (u: uPlot) => {
      const ctx = u.ctx;
      ctx.save();
      ctx.font = `${11 * devicePixelRatio}px system-ui, sans-serif`;
      for (const m of markers) {
        const x = Math.round(u.valToPos(m.t / 1000, 'x', true));
        if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
        ctx.strokeStyle = m.kind === 'regression' ? warn : text;
        ctx.fillStyle = ctx.strokeStyle;
        ctx.lineWidth = (m.kind === 'regression' ? 2 : 1) * devicePixelRatio;
        ctx.setLineDash(m.kind === 'release' ? [4 * devicePixelRatio, 3 * devicePixelRatio] : []);
        ctx.beginPath();
        ctx.moveTo(x, u.bbox.top);
        ctx.lineTo(x, u.bbox.top + u.bbox.height);
        ctx.stroke();
        ctx.fillText(m.label, x + 4 * devicePixelRatio, u.bbox.top + 12 * devicePixelRatio);
      }
      ctx.restore();
    };
    const opts: uPlot.Options = {
      width: el.clientWidth || 600,
      height,
      tzDate: zone === 'utc' ? (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC') : (ts) => new Date(ts * 1000),
      legend: { show: false },
      cursor: { y: false, points: { show: false } },
      scales: { x: { time: true, range: (_u, lo, hi) => [lo - stepMs / 2000, hi + stepMs / 2000] }, y: { range: (_u, _lo, hi) => [0, Math.max(1, hi) * 1.15] } },
      axes: [
        {
          stroke: text,
          grid: { show: false },
          ticks: { stroke: grid },
          values: (_u, splits, _axis, _space, increment) => {
            const f = axisTimeFormat(zone, increment);
            return splits.map((s) => f.format(new Date(s * 1000)));
          },
        },
        { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { show: false }, size: 36, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000, 10000] },
      ],
      series: [{}, { label: 'events', fill: accent, stroke: accent, width: 0, paths: uPlot.paths.bars!({ size: [0.7, 40], align: 0 }), points: { show: false } }],
      hooks: { draw: [drawMarkers] },
    };
    const chart = new uPlot(opts, [points.map((p) => p.t / 1000), points.map((p) => p.v)], el);
    const resize = new ResizeObserver(() => chart.setSize({ width: el.clientWidth, height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [points, stepMs, markers, height, zone]);
  return <div ref={box} className="chart issue-chart" aria-hidden="true" />;
}
