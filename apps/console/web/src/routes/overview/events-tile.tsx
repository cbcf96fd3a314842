import { useQuery } from '@tanstack/react-query';
import { useLiveState } from '../../app/live-state';
import { EmptyState } from '../../components/empty-state';
import { Time } from '../../components/time';
import { overviewDatabasesQuery } from '../../api/queries';
import { summarize, type SummaryContext } from '../../live/events';
import { recentEventsKey, routineCountsKey, type RoutineCounts, type TickerEvent } from '../../live/stream';
import { Tile } from './tile';

export function EventsTile() {
  // The stream writes this list into the cache; the query only reads it.
  const { data = [] } = useQuery<TickerEvent[]>({ queryKey: recentEventsKey, queryFn: () => [], staleTime: Infinity, refetchInterval: false, gcTime: Infinity });
  const { data: routine = {} } = useQuery<RoutineCounts>({ queryKey: routineCountsKey, queryFn: () => ({}), staleTime: Infinity, refetchInterval: false, gcTime: Infinity });
  const routineTypes = Object.entries(routine).sort(([a], [b]) => a.localeCompare(b));
  const live = useLiveState();
  // The databases tile's read (names only here): no request of its own.
  const { data: databases } = useQuery({ ...overviewDatabasesQuery, select: (d) => d.items });
  const ctx: SummaryContext = { databaseName: (id) => databases?.find((d) => d.id === id)?.name };
  return (
    <Tile id="events" title="Live events" wide>
      {data.length ? (
        <ul className="tile-list ticker" aria-label="Last events across the bus, newest first">
          {data.slice(0, 15).map((e) => (
            <li key={e.streamId}>
              <span className="side">
                <Time at={e.envelope.occurredAt} />
              </span>
              <span className="type">{e.envelope.type}</span>
              <span className="grow" title={summarize(e.envelope, ctx)}>
                {summarize(e.envelope, ctx)}
              </span>
              <span className="side">{e.envelope.source}</span>
            </li>
          ))}
        </ul>
      ) : null}
      {routineTypes.length ? (
        <p className="ticker-routine muted" data-testid="ticker-routine">
          Routine, counted but not listed:{' '}
          {routineTypes.map(([type, r], i) => (
            <span key={type}>
              {i ? ' · ' : ''}
              <span className="mono">{type}</span> ×{r.count} (last <Time at={new Date(r.lastAt).toISOString()} />)
            </span>
          ))}
        </p>
      ) : null}
      {data.length || routineTypes.length ? null : (
        <EmptyState title={live.live ? 'Waiting for events…' : 'Live updates are paused.'}>
          {live.live ? 'Events from every service appear here as they happen: alerts, new issues, health scores, backups, subject requests.' : 'Resume them from the top bar.'}
        </EmptyState>
      )}
    </Tile>
  );
}
