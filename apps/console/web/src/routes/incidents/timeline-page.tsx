// /incidents: every lane of the bus on one time axis. The window is the URL's (a range ending now, or
// from/to); opened from an alert it is ±30 minutes around the alert's start, marked on every lane.
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTimezone } from '../../app/preferences';
import { EmptyState } from '../../components/empty-state';
import { Loading } from '../../components/loading';
import { ProblemMessage } from '../../components/problem';
import { formatAbsolute } from '../../components/time';
import { IncidentTabs } from './incident-tabs';
import { LANES, timelineQuery, type Lane } from './queries';
import { RANGES, type Range, type TimelineSearch } from './routes';
import { DEFAULT_RANGE, roundedNow, windowOf } from './timeline-window';
import { LANE_LABELS, TimelineChart } from './timeline-chart';
import { TimelineEvents } from './timeline-events';
import './incidents.css';

const RANGE_LABEL: Record<Range, string> = { '15m': '15 min', '1h': '1 h', '6h': '6 h', '24h': '24 h', '7d': '7 days' };

/** "2026-12-01T10:05" in the user's timezone, for a datetime-local input. */
function toInput(iso: string, zone: 'local' | 'utc'): string {
  const d = new Date(iso);
  const shifted = zone === 'utc' ? d : new Date(d.getTime() - d.getTimezoneOffset() * 60_000);
  return shifted.toISOString().slice(0, 16);
}
function fromInput(v: string, zone: 'local' | 'utc'): string | undefined {
  if (!v) return undefined;
  const d = zone === 'utc' ? new Date(`${v}:00Z`) : new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export function TimelinePage() {
  const search = useSearch({ from: '/app/incidents' });
  const navigate = useNavigate({ from: '/incidents' });
  const zone = useTimezone();
  const absolute = !!(search.from && search.to);
  const range = search.range ?? DEFAULT_RANGE;
  const lanes = (search.lanes?.split(',') as Lane[] | undefined) ?? [...LANES];
  const { data, error, isPending, isFetching } = useQuery(timelineQuery({ ...(absolute ? { from: search.from!, to: search.to! } : { range }), lanes: search.lanes }));
  // The window drawn: the one the timeline was read for (a window ending now moves on when it is read again).
  const window = useMemo(() => (data ? { from: data.from, to: data.to } : windowOf({ from: search.from, to: search.to, range }, roundedNow(range))), [data, search.from, search.to, range]);
  const pick = search.pick ? Number(search.pick) : undefined;
  const focusAt = search.at ? Date.parse(search.at) : undefined;
  const set = (patch: Partial<TimelineSearch>) => navigate({ search: (s) => ({ ...s, ...patch }), replace: false });

  const [fromText, setFromText] = useState(toInput(window.from, zone));
  const [toText, setToText] = useState(toInput(window.to, zone));
  useEffect(() => {
    setFromText(toInput(window.from, zone));
    setToText(toInput(window.to, zone));
  }, [window.from, window.to, zone]);
  const apply = (e: FormEvent) => {
    e.preventDefault();
    const from = fromInput(fromText, zone);
    const to = fromInput(toText, zone);
    if (from && to && from < to) set({ from, to, range: undefined, pick: undefined });
  };
  const toggleLane = (lane: Lane) => {
    const next = lanes.includes(lane) ? lanes.filter((l) => l !== lane) : LANES.filter((l) => l === lane || lanes.includes(l));
    set({ lanes: next.length === LANES.length || !next.length ? undefined : next.join(',') });
  };

  return (
    <>
      <div className="page-head">
        <h1>Incidents</h1>
        {isFetching && !isPending ? <span className="muted refreshing" role="status">Updating…</span> : null}
      </div>
      <IncidentTabs />
      {search.alert && search.at ? (
        <div className="notice focus-notice">
          Around the alert that started <strong>{formatAbsolute(new Date(search.at), zone)}</strong> (±30 min, marked with a dashed line).{' '}
          <Link to="/alerts" search={{ alert: search.alert }}>
            Back to the alert
          </Link>
        </div>
      ) : null}
      <div className="panel timeline-toolbar">
        <div className="segmented" role="group" aria-label="Window ending now">
          {RANGES.map((r) => (
            <button key={r} type="button" aria-pressed={!absolute && range === r} onClick={() => set({ range: r, from: undefined, to: undefined, pick: undefined, alert: undefined, at: undefined })}>
              {RANGE_LABEL[r]}
            </button>
          ))}
        </div>
        <form className="window-form" onSubmit={apply} aria-label="Pick a window">
          <label>
            From
            <input type="datetime-local" value={fromText} onChange={(e) => setFromText(e.target.value)} />
          </label>
          <label>
            To
            <input type="datetime-local" value={toText} onChange={(e) => setToText(e.target.value)} />
          </label>
          <button type="submit">Show</button>
        </form>
        <fieldset className="lane-toggles">
          <legend className="visually-hidden">Lanes</legend>
          {LANES.map((l) => (
            <label key={l} className={`chip${lanes.includes(l) ? ' on' : ''}`}>
              <input type="checkbox" checked={lanes.includes(l)} onChange={() => toggleLane(l)} />
              {LANE_LABELS[l]}
            </label>
          ))}
        </fieldset>
      </div>
      <ProblemMessage error={error} title="Could not load the timeline" />
      {isPending ? <Loading what="Loading the timeline…" /> : null}
      {data ? (
        <section className="panel timeline-panel" aria-labelledby="timeline-title">
          <div className="panel-head">
            <h2 id="timeline-title">
              {formatAbsolute(new Date(data.from), zone)} – {formatAbsolute(new Date(data.to), zone)}
            </h2>
            <span className="muted">
              {data.events.toLocaleString('en')} events · {bucketLabel(data.bucketMs)} buckets
            </span>
          </div>
          {data.events === 0 ? (
            <EmptyState title="Nothing happened on the bus in this window.">Pick a longer window, or another one.</EmptyState>
          ) : null}
          <TimelineChart timeline={data} focusAt={focusAt} pick={pick} onPick={(ms) => set({ pick: ms === undefined || ms === pick ? undefined : String(ms) })} />
        </section>
      ) : null}
      {data ? <TimelineEvents window={window} lanes={search.lanes} pick={pick} bucketMs={data.bucketMs} onClear={() => set({ pick: undefined })} /> : null}
    </>
  );
}

function bucketLabel(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 3_600_000)} h`;
}
