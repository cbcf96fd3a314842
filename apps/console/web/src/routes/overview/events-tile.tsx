import { useQuery } from '@tanstack/react-query';
import { useLiveState } from '../../app/live-state';
import { EmptyState } from '../../components/empty-state';
import { Time } from '../../components/time';
import { databasesQuery } from '../../api/queries';
import { summarize, type SummaryContext } from '../../live/events';
import { recentEventsKey, type TickerEvent } from '../../live/stream';
import { Tile } from './tile';

export function EventsTile() {
  // The stream writes this list into the cache; the query only reads it.
  const { data = [] } = useQuery<TickerEvent[]>({ queryKey: recentEventsKey, queryFn: () => [], staleTime: Infinity, refetchInterval: false, gcTime: Infinity });
  const live = useLiveState();
  const { data: databases } = useQuery(databasesQuery);
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
      ) : (
        <EmptyState title={live.live ? 'Waiting for events…' : 'Live updates are paused.'}>
          {live.live ? 'Events from every service appear here as they happen: alerts, new issues, health scores, backups, subject requests.' : 'Resume them from the top bar.'}
        </EmptyState>
      )}
    </Tile>
  );
}
