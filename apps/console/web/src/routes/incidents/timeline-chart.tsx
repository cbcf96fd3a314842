// The incident timeline: one uPlot canvas per lane, all on one time axis, with one cursor that moves
// across every lane (uPlot's cursor sync) and a readout of what every lane holds at the cursor. A lane
// with few events shows each one as a marker at its exact time; a busy lane shows counts per bucket as
// bars coloured by severity. Lines: the health score per database, error events accepted. The canvases
// are decorative for assistive tech: the events table below says the same in text.
import { useEffect, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useTimezone } from '../../app/preferences';
import { axisTimeFormat, formatAbsolute } from '../../components/time';
import type { Lane, Severity, Timeline, TimelineLane } from './queries';

export const LANE_LABELS: Record<Lane, string> = { alerts: 'Alerts', errors: 'Errors', database: 'Database', recovery: 'Recovery', privacy: 'Privacy' };
const LANE_HINT: Record<Lane, string> = {
  alerts: 'fired · acknowledged · resolved',
  errors: 'new · regressed · spikes · rate',
  database: 'health score · slow queries',
  recovery: 'backups · verifications',
  privacy: 'deadlines · breaches',
};
const SEVERITIES: Severity[] = ['ok', 'info', 'warning', 'critical'];
const SERIES_COLOURS = ['--series-1', '--series-2', '--series-3', '--series-4', '--series-5'];

const cssVar = (name: string): string => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';

/** Re-renders when the theme changes (attribute on <html> or the system's colour scheme). */
function useThemeVersion(): number {
  const [v, setV] = useState(0);
  useEffect(() => {
    const bump = () => setV((x) => x + 1);
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    media.addEventListener('change', bump);
    const obs = new MutationObserver(bump);
    obs.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => {
      media.removeEventListener('change', bump);
      obs.disconnect();
    };
  }, []);
  return v;
}

interface Readout {
  idx: number;
  /** Per lane: the marker under the cursor, if any. */
  near: Partial<Record<Lane, string>>;
}

const laneHeight = (l: TimelineLane, last: boolean) => (l.series.length ? 104 : 64) + (last ? 30 : 0);

export function TimelineChart({ timeline, focusAt, pick, onPick }: { timeline: Timeline; focusAt?: number; pick?: number; onPick: (ms: number | undefined) => void }) {
  const zone = useTimezone();
  const theme = useThemeVersion();
  const plots = useRef<(HTMLDivElement | null)[]>([]);
  const [readout, setReadout] = useState<Readout | null>(null);
  const onPickRef = useRef(onPick);
  onPickRef.current = onPick;
  const syncKey = useMemo(() => `timeline-${Math.random().toString(36).slice(2)}`, []);

  useEffect(() => {
    const lanes = timeline.lanes;
    const half = timeline.bucketMs / 2;
    const xs = timeline.times.map((t) => (t + half) / 1000);
    const c = {
      text: cssVar('--muted'),
      grid: cssVar('--grid'),
      focus: cssVar('--accent'),
      pick: cssVar('--pick'),
      sev: Object.fromEntries(SEVERITIES.map((s) => [s, cssVar(`--${s === 'ok' ? 'ok' : s}`)])) as Record<Severity, string>,
      lines: SERIES_COLOURS.map(cssVar),
    };
    const tzDate = zone === 'utc' ? (ts: number) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC') : (ts: number) => new Date(ts * 1000);
    const xMin = Date.parse(timeline.from) / 1000;
    const xMax = Date.parse(timeline.to) / 1000;
    const charts: uPlot[] = [];
    const sync = uPlot.sync(syncKey);
    const bars = uPlot.paths.bars!({ size: [0.82, 24], gap: 1 });

    lanes.forEach((lane, i) => {
      const el = plots.current[i];
      if (!el) return;
      const last = i === lanes.length - 1;
      const showBars = !lane.marksComplete;
      // Stacked by severity: each series is the sum of its severity and the milder ones, drawn worst first.
      const stacks = [3, 2, 1, 0].map((top) => lane.counts.map((cnt) => {
        const v = cnt.slice(0, top + 1).reduce((a, b) => a + b, 0);
        return showBars && v > 0 ? v : null;
      }));
      const maxCount = Math.max(1, ...lane.counts.map((cnt) => cnt[0] + cnt[1] + cnt[2] + cnt[3]));
      const isHealth = lane.lane === 'database';
      const series: uPlot.Series[] = [
        {},
        ...[3, 2, 1, 0].map((top) => ({ label: SEVERITIES[top], scale: 'n', fill: c.sev[SEVERITIES[top]!] + 'cc', stroke: c.sev[SEVERITIES[top]!], width: 0, paths: bars, points: { show: false } })),
        ...lane.series.map((s, k) => ({ label: s.label, scale: 'v', stroke: c.lines[k % c.lines.length], fill: s.unit === 'score' ? undefined : c.lines[k % c.lines.length] + '1f', width: 2, spanGaps: true, points: { show: s.values.filter((v) => v !== null).length <= 30, size: 7, fill: c.lines[k % c.lines.length] } })),
      ];
      const data: uPlot.AlignedData = [xs, ...stacks, ...lane.series.map((s) => s.values)];
      const marks = lane.marks.map((m) => ({ x: Date.parse(m.at) / 1000, colour: c.sev[m.severity], title: m.title, kind: m.kind }));
      const opts: uPlot.Options = {
        width: el.clientWidth || 800,
        height: laneHeight(lane, last),
        tzDate,
        legend: { show: false },
        padding: [6, 8, lane.series.length && !last ? 8 : 0, 0],
        cursor: { sync: { key: sync.key, setSeries: false }, y: false, points: { show: false }, drag: { x: false, y: false } },
        select: { show: false, left: 0, top: 0, width: 0, height: 0 },
        scales: {
          x: { time: true, range: [xMin, xMax] },
          n: { range: [0, showBars ? maxCount * 1.15 : 1] },
          v: isHealth ? { range: [0, 105] } : { range: (_u, _min, max) => [0, Math.max(1, max) * 1.15] },
        },
        axes: [
          {
            show: last,
            stroke: c.text,
            grid: { stroke: c.grid, width: 1 },
            ticks: { stroke: c.grid },
            size: 28,
            values: (_u, splits, _axis, _space, increment) => {
              const f = axisTimeFormat(zone, increment);
              return splits.map((s) => f.format(new Date(s * 1000)));
            },
          },
          lane.series.length
            ? { scale: 'v', stroke: c.text, size: 44, grid: { stroke: c.grid, width: 1 }, ticks: { show: false }, splits: isHealth ? [0, 50, 100] : undefined }
            : { scale: 'n', stroke: c.text, size: 44, grid: { show: false }, ticks: { show: false }, values: (_u, splits) => (showBars ? splits.map((v) => (Number.isInteger(v) ? String(v) : '')) : splits.map(() => '')) },
        ],
        series,
        hooks: {
          drawClear: [
            (u) => {
              // The picked bucket, shaded under everything.
              if (pick === undefined) return;
              const x0 = u.valToPos(pick / 1000, 'x', true);
              const x1 = u.valToPos((pick + timeline.bucketMs) / 1000, 'x', true);
              u.ctx.save();
              u.ctx.fillStyle = c.pick;
              u.ctx.fillRect(x0, u.bbox.top, Math.max(2, x1 - x0), u.bbox.height);
              u.ctx.restore();
            },
          ],
          draw: [
            (u) => {
              const ctx = u.ctx;
              const dpr = uPlot.pxRatio;
              // Markers: one per event at its exact time, in a band at the top of the lane (middle when it has no line).
              const r = 5 * dpr;
              // Markers closer than a marker's width stack upwards (up to four rows), so simultaneous events stay countable.
              const rows = lane.series.length ? 2 : 4;
              const base = lane.series.length ? u.bbox.top + 9 * dpr + (rows - 1) * 2 * r : u.bbox.top + u.bbox.height / 2 + 1.5 * r;
              const lastX: number[] = [];
              for (const m of marks) {
                const x = u.valToPos(m.x, 'x', true);
                if (x < u.bbox.left - r || x > u.bbox.left + u.bbox.width + r) continue;
                let row = lastX.findIndex((lx) => x - lx >= 2 * r);
                if (row === -1) row = lastX.length < rows ? lastX.length : rows - 1;
                lastX[row] = x;
                const y = base - row * 2 * r;
                ctx.beginPath();
                ctx.moveTo(x, y - r);
                ctx.lineTo(x + r, y);
                ctx.lineTo(x, y + r);
                ctx.lineTo(x - r, y);
                ctx.closePath();
                ctx.fillStyle = m.colour;
                ctx.fill();
                ctx.lineWidth = 1 * dpr;
                ctx.strokeStyle = cssVar('--surface');
                ctx.stroke();
              }
              if (focusAt !== undefined) {
                const x = u.valToPos(focusAt / 1000, 'x', true);
                ctx.save();
                ctx.strokeStyle = c.focus;
                ctx.lineWidth = 2 * dpr;
                ctx.setLineDash([5 * dpr, 4 * dpr]);
                ctx.beginPath();
                ctx.moveTo(x, u.bbox.top);
                ctx.lineTo(x, u.bbox.top + u.bbox.height);
                ctx.stroke();
                ctx.restore();
              }
            },
          ],
          setCursor: [
            (u) => {
              if (i !== 0) return;
              const idx = u.cursor.idx;
              if (idx === null || idx === undefined || u.cursor.left === undefined || u.cursor.left < 0) return setReadout(null);
              const at = u.posToVal(u.cursor.left, 'x');
              const near: Readout['near'] = {};
              const tolerance = (u.posToVal(u.cursor.left + 7, 'x') - at) || 1;
              lanes.forEach((l, k) => {
                let best: { d: number; title: string } | undefined;
                for (const m of l.marks) {
                  const d = Math.abs(Date.parse(m.at) / 1000 - at);
                  if (d <= tolerance && (!best || d < best.d)) best = { d, title: m.title };
                }
                if (best) near[lanes[k]!.lane] = best.title;
              });
              setReadout({ idx, near });
            },
          ],
        },
      };
      const chart = new uPlot(opts, data, el);
      sync.sub(chart);
      chart.over.addEventListener('click', () => {
        const left = chart.cursor.left;
        if (left === undefined || left < 0) return;
        const ms = chart.posToVal(left, 'x') * 1000;
        const bucket = Math.floor((ms - timeline.times[0]!) / timeline.bucketMs);
        onPickRef.current(timeline.times[Math.max(0, Math.min(timeline.times.length - 1, bucket))]);
      });
      charts.push(chart);
    });
    performance.mark('vigil:timeline-rendered', { detail: { events: timeline.events } });
    const box = plots.current[0]?.parentElement?.parentElement;
    const resize = new ResizeObserver(() => charts.forEach((ch, k) => { const el = plots.current[k]; if (el) ch.setSize({ width: el.clientWidth, height: ch.height }); }));
    if (box) resize.observe(box);
    return () => {
      resize.disconnect();
      charts.forEach((ch) => {
        sync.unsub(ch);
        ch.destroy();
      });
    };
  }, [timeline, zone, theme, focusAt, pick, syncKey]);

  const at = readout ? timeline.times[readout.idx] : undefined;
  return (
    <div className="timeline" data-testid="timeline" data-events={timeline.events}>
      <div className="timeline-readout" data-testid="timeline-readout">
        {at !== undefined && readout ? (
          <>
            <span className="readout-time mono">{formatAbsolute(new Date(at), zone)}</span>
            {timeline.lanes.map((l) => (
              <span key={l.lane} className="readout-lane">
                <span className="readout-name">{LANE_LABELS[l.lane]}</span> {readoutOf(l, readout.idx, readout.near[l.lane])}
              </span>
            ))}
          </>
        ) : (
          <span className="muted">Move over the lanes to read every lane at one moment; click to list that moment's events.</span>
        )}
      </div>
      {timeline.lanes.map((l, i) => (
        <div key={l.lane} className={`lane-row lane-${l.lane}`}>
          <div className="lane-label">
            <strong>{LANE_LABELS[l.lane]}</strong>
            <span className="muted">{LANE_HINT[l.lane]}</span>
            <span className="lane-count">{laneSummary(l)}</span>
            {l.series.slice(0, 3).map((x, k) => (
              <span key={x.key} className="lane-series">
                <span className="series-swatch" style={{ background: `var(${SERIES_COLOURS[k % SERIES_COLOURS.length]})` }} aria-hidden="true" />
                {seriesSummary(x)}
              </span>
            ))}
            {l.series.length > 3 ? <span className="muted">and {l.series.length - 3} more</span> : null}
          </div>
          <div className="lane-plot" aria-hidden="true" ref={(el) => void (plots.current[i] = el)} />
        </div>
      ))}
      <ul className="timeline-key" aria-label="Colours">
        {(['critical', 'warning', 'info', 'ok'] as const).map((s) => (
          <li key={s}>
            <span className={`key-swatch sev-${s}`} aria-hidden="true" />
            {s === 'ok' ? 'ok / resolved' : s}
          </li>
        ))}
        {focusAt !== undefined ? (
          <li>
            <span className="key-swatch focus-line" aria-hidden="true" />
            alert start
          </li>
        ) : null}
      </ul>
    </div>
  );
}

function laneSummary(l: TimelineLane): string {
  return l.total ? `${l.total.toLocaleString('en')} event${l.total === 1 ? '' : 's'}` : l.series.length ? '' : 'no events';
}

/** "orders health lowest 40", "error events peak 38": a line's extreme, in text. */
function seriesSummary(s: TimelineLane['series'][number]): string {
  const vs = s.values.filter((v): v is number => v !== null);
  if (!vs.length) return s.label;
  const peak = Math.max(...vs);
  return s.unit === 'score' ? `${s.label} lowest ${Math.min(...vs)}` : `${s.label} peak ${(peak >= 10 ? Math.round(peak) : peak).toLocaleString('en')}`;
}

function readoutOf(l: TimelineLane, idx: number, near?: string): string {
  const parts: string[] = [];
  if (near) parts.push(near);
  const cnt = l.counts[idx];
  const total = cnt ? cnt[0] + cnt[1] + cnt[2] + cnt[3] : 0;
  if (total && !near) parts.push(`${total} event${total > 1 ? 's' : ''}${cnt![3] ? ` (${cnt![3]} critical)` : ''}`);
  for (const s of l.series) {
    // The last value at or before the cursor (a score is sent every cycle, not every bucket), a few buckets back at most.
    let k = idx;
    while (k > idx - 8 && k > 0 && (s.values[k] === null || s.values[k] === undefined)) k--;
    const v = s.values[k];
    if (v !== null && v !== undefined) parts.push(`${s.label} ${Math.round(v * 10) / 10}`);
  }
  return parts.length ? parts.join(' · ') : '—';
}
