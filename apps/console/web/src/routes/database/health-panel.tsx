// The checks behind the score (PgHero's "checks"): each passes or warns, with its value, its thresholds
// and why it matters; then connections, cache hit and transactions over the last day.
import { useQuery } from '@tanstack/react-query';
import { EmptyState } from '../../components/empty-state';
import { Loading } from '../../components/loading';
import { ProblemMessage } from '../../components/problem';
import { TimeSeriesChart } from '../../components/time-series-chart';
import { checkValue, count } from './format';
import { scoresQuery, seriesQuery, type Check } from './queries';

const LEVEL_LABEL: Record<Check['level'], string> = { ok: 'Pass', warning: 'Warning', critical: 'Critical', skipped: 'Skipped' };

function threshold(c: Check): string {
  const op = c.direction === 'above' ? (c.warn === 0 ? '>' : '≥') : '<';
  // Thresholds in the check's own unit, as they are configured (1,000 ms, not 1 s).
  const v = (x: number) => (c.unit === 'ms' ? `${count(x)} ms` : checkValue(x, c.unit));
  const warn = `warns ${op} ${v(c.warn)}`;
  return c.crit === null ? warn : `${warn}, critical ${op} ${v(c.crit)}`;
}

function CheckRow({ c }: { c: Check }) {
  const level = c.level === 'ok' ? 'ok' : c.level === 'skipped' ? '' : c.level;
  return (
    <li className={`check ${c.level}`} data-check={c.name}>
      <span className={`badge ${level}`}>{LEVEL_LABEL[c.level]}</span>
      <div className="check-main">
        <div className="check-title">
          <strong>{c.title}</strong>
          <span className="check-value">{c.level === 'skipped' ? c.detail : checkValue(c.value, c.unit)}</span>
          <span className="muted small">{threshold(c)}</span>
        </div>
        {c.outcome === 'failed' ? <div className="check-detail">{c.detail}</div> : null}
        <div className="muted small why">{c.why}</div>
      </div>
    </li>
  );
}

const HOURS = 24;
const ratioPct = (v: number) => `${Math.round(v * 100)} %`;
const plain = (v: number) => count(v);
const SCORE_RANGE: [number, number] = [0, 100];

const perSecond = (v: number) => `${v.toFixed(1)}/s`;

function MetricChart({ id, metric, title, format }: { id: string; metric: string; title: string; format: (v: number) => string }) {
  const { data, error } = useQuery(seriesQuery(id, metric, HOURS));
  const points = (data?.points ?? []).map((p) => ({ t: Date.parse(p.at), v: p.value }));
  const last = points.at(-1);
  return (
    <section className="panel chart-card" aria-labelledby={`chart-${metric}`}>
      <header>
        <h3 id={`chart-${metric}`}>{title}</h3>
        <span className="chart-now">{last ? format(last.v) : '–'}</span>
      </header>
      <ProblemMessage error={error} title={`No ${title.toLowerCase()}`} />
      {data ? <TimeSeriesChart points={points} label={title} height={140} formatValue={format} /> : <Loading />}
      <p className="visually-hidden">
        {title} over the last {HOURS} hours: {points.length} samples{last ? `, latest ${format(last.v)}` : ''}.
      </p>
    </section>
  );
}

export function HealthPanel({ id }: { id: string }) {
  const { data, error, isPending } = useQuery(scoresQuery(id));
  const latest = data?.[0];
  const checks = latest?.checks ?? [];
  const failed = checks.filter((c) => c.outcome === 'failed');
  const points = (data ?? []).map((s) => ({ t: Date.parse(s.scoredAt), v: s.score })).reverse();
  return (
    <>
      <ProblemMessage error={error} title="No health score" />
      {isPending ? <Loading /> : null}
      {data && !latest ? <EmptyState title="Not scored yet.">Collect now, or wait for the first collection cycle.</EmptyState> : null}
      {latest ? (
        <div className="health-grid">
          <section className="panel" aria-labelledby="checks-title">
            <header className="section-head">
              <h2 id="checks-title">Checks</h2>
              <span className="muted">
                {failed.length ? `${failed.length} of ${checks.length} warn` : `all ${checks.filter((c) => c.outcome === 'passed').length} examined checks pass`}
              </span>
            </header>
            {checks.length ? (
              <ul className="checks">
                {[...failed, ...checks.filter((c) => c.outcome !== 'failed')].map((c) => (
                  <CheckRow key={c.name} c={c} />
                ))}
              </ul>
            ) : (
              <ul className="checks">
                {latest.components.map((c) => (
                  <li key={c.name} className="check warning">
                    <span className="badge warning">−{c.penalty}</span>
                    <div className="check-main">
                      <strong>{c.name}</strong> <span className="muted">{c.detail}</span>
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section className="panel" aria-labelledby="score-title">
            <header className="section-head">
              <h2 id="score-title">Score</h2>
              <span className="muted">
                last {points.length} scores, lowest {Math.min(...points.map((p) => p.v))}, highest {Math.max(...points.map((p) => p.v))}
              </span>
            </header>
            <TimeSeriesChart points={points} label="Health score" yRange={SCORE_RANGE} height={150} />
            {latest.components.length ? (
              <table className="compact">
                <caption className="visually-hidden">What lowered the score</caption>
                <thead>
                  <tr>
                    <th scope="col">Took off</th>
                    <th scope="col">Because</th>
                  </tr>
                </thead>
                <tbody>
                  {latest.components.map((c) => (
                    <tr key={c.name}>
                      <td className="num">−{c.penalty}</td>
                      <td>{c.detail}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p className="muted">Nothing took points off the latest score.</p>
            )}
          </section>
        </div>
      ) : null}
      <div className="chart-grid">
        <MetricChart id={id} metric="connections_total" title="Connections" format={plain} />
        <MetricChart id={id} metric="cache_hit_ratio" title="Cache hit ratio" format={ratioPct} />
        <MetricChart id={id} metric="tps" title="Transactions per second" format={perSecond} />
      </div>
    </>
  );
}
