// Monitored databases and their health (issue 16 adds statements, indexes, capacity).
import { useQuery } from '@tanstack/react-query';
import { Loading } from '../../components/loading';
import { Link, useSearch } from '@tanstack/react-router';
import { databasesQuery, healthQuery, type Database } from '../../api/queries';
import { EmptyState } from '../../components/empty-state';
import { ProblemMessage } from '../../components/problem';
import { TimeSeriesChart } from '../../components/time-series-chart';
import { Time } from '../../components/time';
import { scoreClass } from '../overview/databases-tile';

const HEALTH_RANGE: [number, number] = [0, 100];

function Health({ db }: { db: Database }) {
  const { data, error } = useQuery(healthQuery(db.id));
  if (error) return <ProblemMessage error={error} title="No health score" />;
  if (!data) return <Loading />;
  const latest = data[0];
  const points = data.map((s) => ({ t: Date.parse(s.scoredAt), v: s.score })).reverse();
  return (
    <>
      <p>
        Score <span className={`badge ${scoreClass(latest?.score)}`}>{latest?.score ?? '–'}</span> {latest ? <Time at={latest.scoredAt} /> : null}
        {points.length ? (
          <span className="muted">
            {' '}
            · last {points.length} scores: lowest {Math.min(...points.map((p) => p.v))}, highest {Math.max(...points.map((p) => p.v))}
          </span>
        ) : null}
      </p>
      <TimeSeriesChart points={points} label={`${db.name} health score`} yRange={HEALTH_RANGE} />
      {latest?.components.length ? (
        <table>
          <caption className="visually-hidden">What lowered the score</caption>
          <thead>
            <tr>
              <th scope="col">Component</th>
              <th scope="col">Penalty</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {latest.components.map((c) => (
              <tr key={c.name}>
                <td>{c.name}</td>
                <td>{c.penalty}</td>
                <td className="wrap-anywhere">{c.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}

export function DatabasePage() {
  const { db } = useSearch({ from: '/app/database' });
  const { data, error, isPending } = useQuery(databasesQuery);
  const selected = data?.find((d) => d.id === db);
  return (
    <>
      <h1>Database</h1>
      <ProblemMessage error={error} title="Could not load databases" />
      {isPending ? <Loading /> : null}
      {data && !data.length ? <EmptyState title="No database is monitored yet.">Register one with perf-collector (POST /api/perf/v1/databases).</EmptyState> : null}
      {data?.length ? (
        <div className="panel table-wrap">
          <table>
            <caption className="visually-hidden">Monitored databases</caption>
            <thead>
              <tr>
                <th scope="col">Database</th>
                <th scope="col">Status</th>
                <th scope="col">Last collected</th>
              </tr>
            </thead>
            <tbody>
              {data.map((d) => (
                <tr key={d.id} className={d.id === db ? 'selected' : undefined} aria-selected={d.id === db || undefined}>
                  <td className="wrap-anywhere">
                    <Link to="/database" search={{ db: d.id }}>
                      {d.name}
                    </Link>
                  </td>
                  <td>
                    {d.status}
                    {d.statusDetail ? <div className="muted">{d.statusDetail}</div> : null}
                  </td>
                  <td>
                    <Time at={d.lastSuccessAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {selected ? (
        <section className="panel" aria-labelledby="db-detail">
          <h2 id="db-detail">{selected.name}</h2>
          <Health db={selected} />
        </section>
      ) : null}
    </>
  );
}
