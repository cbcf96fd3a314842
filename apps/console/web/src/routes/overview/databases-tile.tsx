import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { healthQuery, overviewDatabasesQuery, type Database, type HealthScore } from '../../api/queries';
import { EmptyState } from '../../components/empty-state';
import { Sparkline } from '../../components/sparkline';
import { Tile } from './tile';

const WEEK = 7 * 86_400_000;
export const scoreClass = (score: number | undefined): string => (score === undefined ? '' : score >= 80 ? 'ok' : score >= 60 ? 'warning' : 'critical');

/** `scores` came with the list: they fill this database's health query, which the stream then patches. */
function DatabaseRow({ db, scores, readAt }: { db: Database; scores: HealthScore[] | undefined; readAt: number }) {
  const { data, error } = useQuery({ ...healthQuery(db.id), initialData: scores, initialDataUpdatedAt: readAt });
  const now = Date.now();
  const since = now - WEEK;
  const week = (data ?? []).filter((s) => Date.parse(s.scoredAt) >= since).map((s) => ({ t: Date.parse(s.scoredAt), v: s.score })).reverse();
  const current = data?.[0];
  return (
    <li>
      <Link className="grow" to="/database" search={{ db: db.id }} title={db.name}>
        {db.name}
      </Link>
      {error ? (
        <span className="side">no score</span>
      ) : (
        <>
          <Sparkline points={week} from={since} to={now} label={`${db.name}: health over 7 days, ${week.length} scores`} />
          <span className={`badge ${scoreClass(current?.score)}`}>
            {current ? current.score : '–'}
          </span>
        </>
      )}
      {db.lastSuccessAt ? null : <span className="side">{db.status}</span>}
    </li>
  );
}

export function DatabasesTile() {
  const { data: batch, error, isPending, dataUpdatedAt } = useQuery(overviewDatabasesQuery);
  const data = batch?.items;
  return (
    <Tile id="databases" title="Database health" error={error} loading={isPending} link={<Link to="/database">All databases</Link>}>
      {data?.length ? (
        <ul className="tile-list">
          {data.map((db) => (
            <DatabaseRow key={db.id} db={db} scores={batch?.health[db.id] ?? undefined} readAt={dataUpdatedAt} />
          ))}
        </ul>
      ) : (
        <EmptyState title="No database is monitored yet.">
          Register one with perf-collector (<span className="mono">POST /api/perf/v1/databases</span>); <span className="mono">npm start</span> registers
          Vigil's own database.
        </EmptyState>
      )}
    </Tile>
  );
}
