// Index advice (PgHero's "indexes" and pganalyze's index advisor): missing indexes verified with hypopg
// (plan cost before/after, write overhead) and unused, duplicate and invalid ones, each with its
// statement to copy. "Mark as applied" has the service check the change on the database, re-measure
// it and record it in the optimization history, which shows the figures before and after.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CopyButton } from '../../components/copy-button';
import { EmptyState } from '../../components/empty-state';
import { Loading } from '../../components/loading';
import { ProblemMessage } from '../../components/problem';
import { Time } from '../../components/time';
import { bytes, cost, count, ms, pct } from './format';
import { applyRecommendation, optimizationsQuery, recommendationsQuery, type Optimization, type Recommendation } from './queries';
import { useCan } from '../../app/session';

const CLEANUP: { kind: string; title: string; why: string }[] = [
  { kind: 'invalid_index', title: 'Invalid indexes', why: 'Left by a failed CREATE INDEX CONCURRENTLY: every write still maintains them, no read can use them.' },
  { kind: 'duplicate_index', title: 'Duplicate indexes', why: 'A left prefix of another index with the same operator classes: the other one serves the same reads.' },
  { kind: 'unused_index', title: 'Unused indexes', why: 'Never scanned since statistics were reset. They cost space and slow every write; check replicas before dropping.' },
];

function MarkApplied({ id, rec, hint = true }: { id: string; rec: Recommendation; hint?: boolean }) {
  const canWrite = useCan('write');
  const client = useQueryClient();
  const apply = useMutation({
    mutationFn: () => applyRecommendation(id, rec.id),
    onSuccess: () => client.invalidateQueries({ queryKey: ['perf'] }),
  });
  if (!canWrite) return null;
  return (
    <div className="apply">
      <button type="button" onClick={() => apply.mutate()} disabled={apply.isPending}>
        {apply.isPending ? 'Checking…' : 'Mark as applied'}
      </button>
      {hint ? <span className="muted small">Run the statement first; Vigil checks it on the database and measures again.</span> : null}
      <ProblemMessage error={apply.error} title="Not recorded" />
    </div>
  );
}

function MissingIndex({ id, rec }: { id: string; rec: Recommendation }) {
  const w = rec.writeOverhead;
  return (
    <article className="advice-card" aria-labelledby={`rec-${rec.id}`} data-kind={rec.kind}>
      <header>
        <h3 id={`rec-${rec.id}`}>
          Missing index on <span className="mono">{rec.table}</span>
        </h3>
        {rec.savingPct !== undefined ? <span className="badge ok">saves up to {pct(rec.savingPct)}</span> : <span className="badge">not verified</span>}
      </header>
      <div className="code-block">
        <code className="mono">{rec.statement}</code>
        <CopyButton text={rec.statement} label="Copy statement" />
      </div>
      <div className="advice-facts">
        <table className="compact">
          <caption>Plan cost with a hypothetical index (hypopg)</caption>
          <thead>
            <tr>
              <th scope="col">Query helped</th>
              <th scope="col" className="num">
                Before
              </th>
              <th scope="col" className="num">
                After
              </th>
            </tr>
          </thead>
          <tbody>
            {rec.queries.map((q) => (
              <tr key={q.queryId}>
                <td className="mono wrap-anywhere">{q.query}</td>
                <td className="num">{cost(q.costBefore)}</td>
                <td className="num better">{cost(q.costAfter)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {w ? (
          <dl className="overhead">
            <div>
              <dt>Estimated index size</dt>
              <dd>{bytes(w.indexBytes)}</dd>
            </div>
            <div>
              <dt>Table rows</dt>
              <dd>{count(w.tableRows)}</dd>
            </div>
            <div>
              <dt>Writes to maintain it</dt>
              <dd>{count(w.tableWrites)} rows written since statistics reset, each would also update this index</dd>
            </div>
          </dl>
        ) : null}
      </div>
      <MarkApplied id={id} rec={rec} />
    </article>
  );
}

function Cleanup({ id, recs }: { id: string; recs: Recommendation[] }) {
  return (
    <>
      {CLEANUP.map((c) => {
        const list = recs.filter((r) => r.kind === c.kind);
        return (
          <section key={c.kind} className="panel" aria-labelledby={`cleanup-${c.kind}`}>
            <header className="section-head">
              <h2 id={`cleanup-${c.kind}`}>
                {c.title} <span className="count">{list.length}</span>
              </h2>
            </header>
            <p className="muted small">{c.why} Mark one as applied once dropped: Vigil checks that it is gone.</p>
            {list.length ? (
              list.map((r) => (
                <article key={r.id} className="advice-card compact" data-kind={r.kind} aria-label={`${c.title}: ${r.index}`}>
                  <header>
                    <h3 className="mono">{r.index}</h3>
                    <span className="muted">on {r.table}</span>
                  </header>
                  <p>{r.detail}</p>
                  <div className="code-block">
                    <code className="mono">{r.statement}</code>
                    <CopyButton text={r.statement} label="Copy statement" />
                  </div>
                  <MarkApplied id={id} rec={r} hint={false} />
                </article>
              ))
            ) : (
              <p className="muted">None found.</p>
            )}
          </section>
        );
      })}
    </>
  );
}

function delta(before: number | null, after: number | null, format: (v: number) => string) {
  if (before === null && after === null) return <span className="muted">–</span>;
  // Floored, so a 99.6 % saving reads −99 %, never a round −100 %.
  const change = before && after !== null ? Math.floor((1 - after / before) * 100) : null;
  return (
    <>
      {before === null ? '–' : format(before)} → {after === null ? <span className="muted">not yet measured</span> : format(after)}
      {change !== null && change > 0 ? <span className="badge ok">−{change} %</span> : null}
    </>
  );
}

const score1 = (v: number | null) => (v === null ? '–' : String(Math.round(v * 10) / 10));

function History({ list }: { list: Optimization[] }) {
  return (
    <section className="panel" aria-labelledby="history-title">
      <header className="section-head">
        <h2 id="history-title">Optimization history</h2>
        <span className="muted small">before: the 24 h up to the change · after: the 24 h from it</span>
      </header>
      {list.length ? (
        <div className="table-wrap">
          <table className="history">
            <caption className="visually-hidden">Applied changes with their figures before and after</caption>
            <thead>
              <tr>
                <th scope="col">Applied</th>
                <th scope="col">Change</th>
                <th scope="col">Query</th>
                <th scope="col">Plan cost</th>
                <th scope="col">Mean time</th>
                <th scope="col">Score</th>
              </tr>
            </thead>
            <tbody>
              {list.flatMap((o) => {
                const rows = o.queries.length ? o.queries : [null];
                return rows.map((q, i) => (
                  <tr key={`${o.id}-${i}`} data-optimization={o.id}>
                    {i === 0 ? (
                      <>
                        <td rowSpan={rows.length}>
                          <Time at={o.appliedAt} />
                          <div className="muted small">{o.source === 'advice' ? 'from advice, re-measured' : 'recorded by hand'}</div>
                        </td>
                        <td rowSpan={rows.length} className="mono wrap-anywhere">
                          {o.description}
                        </td>
                      </>
                    ) : null}
                    <td className="mono wrap-anywhere small">{q?.query ?? '–'}</td>
                    <td className="nowrap">{q ? delta(q.costBefore, q.costAfter, cost) : '–'}</td>
                    <td className="nowrap">{q ? delta(q.meanMsBefore, q.meanMsAfter, ms) : '–'}</td>
                    {i === 0 ? (
                      <td rowSpan={rows.length} className="nowrap">
                        {o.score.before === null && o.score.after === null ? '–' : `${score1(o.score.before)} → ${o.score.after === null ? 'not yet' : score1(o.score.after)}`}
                      </td>
                    ) : null}
                  </tr>
                ));
              })}
            </tbody>
          </table>
        </div>
      ) : (
        <EmptyState title="No change recorded yet.">Mark advice as applied once its statement has run: the figures before and after appear here.</EmptyState>
      )}
    </section>
  );
}

export function AdvicePanel({ id }: { id: string }) {
  const recs = useQuery(recommendationsQuery(id));
  const history = useQuery(optimizationsQuery(id));
  const missing = (recs.data ?? []).filter((r) => r.kind === 'missing_index');
  return (
    <>
      <ProblemMessage error={recs.error} title="Could not load index advice" />
      {recs.isPending ? <Loading /> : null}
      {recs.data ? (
        <section className="panel" aria-labelledby="missing-title">
          <header className="section-head">
            <h2 id="missing-title">
              Missing indexes <span className="count">{missing.length}</span>
            </h2>
            <span className="muted small">from sequential scans with filters in the plans of the top and slow statements</span>
          </header>
          {missing.length ? (
            missing.map((r) => <MissingIndex key={r.id} id={id} rec={r} />)
          ) : (
            <p className="muted">No index would save half of a statement's cost. The advisor runs hourly and on “Collect now”.</p>
          )}
        </section>
      ) : null}
      {recs.data ? <Cleanup id={id} recs={recs.data} /> : null}
      <ProblemMessage error={history.error} title="Could not load the optimization history" />
      {history.data ? <History list={history.data} /> : null}
    </>
  );
}
