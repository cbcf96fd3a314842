// The events of the timeline's window (or of the moment picked on it) as a table: the accessible,
// linkable form of what the lanes draw. Keyset pages, newest first.
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTimezone } from '../../app/preferences';
import { EmptyState } from '../../components/empty-state';
import { Loading } from '../../components/loading';
import { ProblemMessage } from '../../components/problem';
import { formatAbsolute, Time } from '../../components/time';
import { PageLink } from './page-link';
import { historyEventsQuery } from './queries';
import { LANE_LABELS } from './timeline-chart';

export function TimelineEvents({ window, lanes, pick, bucketMs, onClear }: { window: { from: string; to: string }; lanes?: string; pick?: number; bucketMs: number; onClear: () => void }) {
  const zone = useTimezone();
  const w = pick !== undefined ? { from: new Date(pick).toISOString(), to: new Date(pick + bucketMs).toISOString() } : window;
  const [cursors, setCursors] = useState<string[]>([]);
  useEffect(() => setCursors([]), [w.from, w.to, lanes]);
  const cursor = cursors[cursors.length - 1];
  const { data, error, isPending } = useQuery(historyEventsQuery({ ...w, lanes, cursor, limit: 50 }));
  return (
    <section className="panel" aria-labelledby="timeline-events-title">
      <div className="panel-head">
        <h2 id="timeline-events-title">{pick !== undefined ? `Events ${formatAbsolute(new Date(pick), zone)} – ${formatAbsolute(new Date(pick + bucketMs), zone)}` : 'Events in this window'}</h2>
        {pick !== undefined ? (
          <button type="button" onClick={onClear}>
            Show the whole window
          </button>
        ) : null}
      </div>
      <ProblemMessage error={error} title="Could not load the events" />
      {isPending ? <Loading /> : null}
      {data && !data.items.length ? <EmptyState title="No events here.">Health scores and error counts are drawn as lines; they are not listed.</EmptyState> : null}
      {data?.items.length ? (
        <div className="table-wrap">
          <table className="events-table">
            <caption className="visually-hidden">Events, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Lane</th>
                <th scope="col">Severity</th>
                <th scope="col">Event</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((e) => (
                <tr key={e.eventId}>
                  <td className="nowrap">
                    <Time at={e.at} />
                  </td>
                  <td>
                    <span className={`lane-tag lane-${e.lane}`}>{LANE_LABELS[e.lane]}</span>
                  </td>
                  <td>
                    <span className={`badge ${e.severity}`}>{e.severity}</span>
                  </td>
                  <td className="wrap-anywhere">
                    {e.link ? <PageLink to={e.link}>{e.title}</PageLink> : e.title}
                    <span className="muted mono kind"> {e.kind}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {cursors.length || data?.nextCursor ? (
        <nav className="pager" aria-label="Event pages">
          <button type="button" disabled={!cursors.length} onClick={() => setCursors((c) => c.slice(0, -1))}>
            Newer
          </button>
          <button type="button" disabled={!data?.nextCursor} onClick={() => data?.nextCursor && setCursors((c) => [...c, data.nextCursor!])}>
            Older
          </button>
        </nav>
      ) : null}
    </section>
  );
}
