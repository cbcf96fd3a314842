// Statements (pganalyze's query list): total and mean time, calls and rows over the last day, each with
// its per-interval trend; a statement's detail shows its history and its plan, made now by the service
// (a generic plan: EXPLAIN without ANALYZE, nothing is executed).
import { useMutation, useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { CopyButton } from '../../components/copy-button';
import { EmptyState } from '../../components/empty-state';
import { Loading } from '../../components/loading';
import { ProblemMessage } from '../../components/problem';
import { Time } from '../../components/time';
import { TimeSeriesChart } from '../../components/time-series-chart';
import { count, ms } from './format';
import { MetricSpark } from './metric-spark';
import { PlanTree } from './plan-tree';
import { planStatement, slowQueriesQuery, statementHistoryQuery, statementsQuery, type Statement } from './queries';
import { useCan } from '../../app/session';


const HOURS = 24;
const SLOW_MS = 1_000;
const msAxis = (v: number) => ms(v);

function StatementDetail({ id, queryId }: { id: string; queryId: string }) {
  const canWrite = useCan('write');
  const navigate = useNavigate();
  const history = useQuery(statementHistoryQuery(id, queryId, HOURS));
  const slow = useQuery(slowQueriesQuery(id));
  const stored = slow.data?.find((q) => q.queryId === queryId);
  const explain = useMutation({ mutationFn: () => planStatement(id, queryId) });
  const points = history.data?.items ?? [];
  const mean = points.map((p) => ({ t: Date.parse(p.at), v: p.meanMs }));
  const calls = points.map((p) => ({ t: Date.parse(p.at), v: p.calls }));
  const plan = explain.data?.plan ?? stored?.plan ?? null;
  return (
    <section className="panel statement-detail" aria-labelledby="statement-title">
      <header className="section-head">
        <h2 id="statement-title">Statement {queryId}</h2>
        <button type="button" className="ghost" onClick={() => void navigate({ to: '/database/$targetId', params: { targetId: id }, search: { tab: 'queries' } })}>
          Close
        </button>
      </header>
      <ProblemMessage error={history.error} title="No history" />
      {history.data ? (
        <>
          <div className="code-block">
            <pre className="mono">{history.data.query}</pre>
            <CopyButton text={history.data.query} label="Copy query" />
          </div>
          <div className="chart-grid two">
            <div>
              <h3>Mean time per interval</h3>
              <TimeSeriesChart points={mean} label="Mean time" height={140} formatValue={msAxis} />
            </div>
            <div>
              <h3>Calls per interval</h3>
              <TimeSeriesChart points={calls} label="Calls" height={140} />
            </div>
          </div>
          <table className="compact">
            <caption>History over the last {HOURS} hours</caption>
            <thead>
              <tr>
                <th scope="col">Interval ending</th>
                <th scope="col" className="num">
                  Calls
                </th>
                <th scope="col" className="num">
                  Total
                </th>
                <th scope="col" className="num">
                  Mean
                </th>
                <th scope="col" className="num">
                  Rows
                </th>
              </tr>
            </thead>
            <tbody>
              {[...points].reverse().slice(0, 12).map((p) => (
                <tr key={p.at}>
                  <td>
                    <Time at={p.at} mode="absolute" />
                  </td>
                  <td className="num">{count(p.calls)}</td>
                  <td className="num">{ms(p.totalMs)}</td>
                  <td className="num">{ms(p.meanMs)}</td>
                  <td className="num">{count(p.rows)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : (
        <Loading />
      )}
      <header className="section-head">
        <h3>Plan</h3>
        {canWrite ? (
          <button type="button" onClick={() => explain.mutate()} disabled={explain.isPending}>
            {explain.isPending ? 'Planning…' : explain.data ? 'Explain again' : 'Explain now'}
          </button>
        ) : null}
      </header>
      <p className="muted small">
        A generic plan (parameters unknown), made on the database without ANALYZE: the statement is planned, never run.
        {explain.data ? (
          <>
            {' '}
            Planned <Time at={explain.data.plannedAt} /> on PostgreSQL {Math.floor(explain.data.serverVersion / 10000)}.
          </>
        ) : stored?.plan ? (
          <> Stored with the slow query, detected <Time at={stored.detectedAt} />.</>
        ) : null}
      </p>
      <ProblemMessage error={explain.error} title="Not planned" />
      {plan ? <PlanTree plan={plan} /> : <p className="muted">No plan yet: press “Explain now”.</p>}
    </section>
  );
}

function StatementRow({ s, id, selected }: { s: Statement; id: string; selected: boolean }) {
  return (
    <tr className={selected ? 'selected' : undefined} aria-selected={selected || undefined}>
      <td className="query-cell">
        <Link to="/database/$targetId" params={{ targetId: id }} search={{ tab: 'queries', query: s.queryId }} className="mono query-text" title={s.query ?? undefined}>
          {s.query ?? `queryid ${s.queryId}`}
        </Link>
        {s.meanMs >= SLOW_MS ? <span className={`badge ${s.meanMs >= 5 * SLOW_MS ? 'critical' : 'warning'}`}>slow</span> : null}
      </td>
      <td className="num">{ms(s.totalMs)}</td>
      <td className="num">{ms(s.meanMs)}</td>
      <td className="num">{count(s.calls)}</td>
      <td className="num">{count(s.rows)}</td>
      <td>
        <MetricSpark values={s.series.map((p) => p.meanMs)} label={`mean time per interval, ${s.series.length} intervals, latest ${ms(s.series.at(-1)?.meanMs)}`} />
      </td>
    </tr>
  );
}

export function StatementsPanel({ id }: { id: string }) {
  const { query } = useSearch({ from: '/app/database/$targetId' });
  const [order, setOrder] = useState<'total' | 'mean'>('total');
  const { data, error, isPending } = useQuery(statementsQuery(id, order, HOURS));
  return (
    <>
      {query ? <StatementDetail id={id} queryId={query} /> : null}
      <section className="panel flush" aria-labelledby="statements-title">
        <header className="section-head padded">
          <h2 id="statements-title">Statements, last {HOURS} hours</h2>
          <div className="segmented" role="group" aria-label="Order by">
            <button type="button" aria-pressed={order === 'total'} onClick={() => setOrder('total')}>
              Total time
            </button>
            <button type="button" aria-pressed={order === 'mean'} onClick={() => setOrder('mean')}>
              Mean time
            </button>
          </div>
        </header>
        <ProblemMessage error={error} title="Could not load statements" />
        {isPending ? <Loading /> : null}
        {data && !data.items.length ? (
          <EmptyState title="No statements collected yet.">They come from pg_stat_statements (which must be in shared_preload_libraries) at each collection.</EmptyState>
        ) : null}
        {data?.items.length ? (
          <div className="table-wrap">
            <table className="statements">
              <caption className="visually-hidden">Statements by {order} time</caption>
              <thead>
                <tr>
                  <th scope="col">Query</th>
                  <th scope="col" className="num">
                    Total
                  </th>
                  <th scope="col" className="num">
                    Mean
                  </th>
                  <th scope="col" className="num">
                    Calls
                  </th>
                  <th scope="col" className="num">
                    Rows
                  </th>
                  <th scope="col">Mean over time</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((s) => (
                  <StatementRow key={s.queryId} s={s} id={id} selected={s.queryId === query} />
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    </>
  );
}
