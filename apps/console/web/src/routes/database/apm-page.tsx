// APM per service, from the OTLP metrics Vigil receives (its own services self-report too): latency
// percentiles, throughput and error rate, and one service's history.
import { useQuery } from '@tanstack/react-query';
import { Link, useSearch } from '@tanstack/react-router';
import { EmptyState } from '../../components/empty-state';
import { Loading } from '../../components/loading';
import { ProblemMessage } from '../../components/problem';
import { Time } from '../../components/time';
import { TimeSeriesChart } from '../../components/time-series-chart';
import { AreaTabs } from './area-tabs';
import { count, ms, pct } from './format';
import { apmServiceQuery, apmServicesQuery, type ApmSummary } from './queries';
import './database.css';

const HOURS = 24;
const msAxis = (v: number) => ms(v);
const rps = (v: number) => `${v < 1 ? v.toFixed(2) : v.toFixed(1)}/s`;
const RATE_RANGE: [number, number] = [0, 1];
const ratio = (v: number) => pct(v * 100, 2);
const isVigil = (service: string) => /^vigil[-_]|^(perf-collector|alerting|gdpr|error-ingest|dr-orchestrator|console)$/.test(service);

function errorLevel(rate: number): string {
  return rate >= 0.05 ? 'critical' : rate >= 0.01 ? 'warning' : 'ok';
}

function ServiceRow({ s, selected }: { s: ApmSummary; selected: boolean }) {
  return (
    <tr className={selected ? 'selected' : undefined} aria-selected={selected || undefined}>
      <td>
        <Link to="/database/apm" search={{ service: s.service }}>
          {s.service}
        </Link>{' '}
        {isVigil(s.service) ? <span className="badge info">Vigil</span> : null}
      </td>
      <td className="num">{ms(s.latencyP50Ms)}</td>
      <td className="num">{ms(s.latencyP95Ms)}</td>
      <td className="num">{ms(s.latencyP99Ms)}</td>
      <td className="num">{rps(s.throughput)}</td>
      <td className="num">
        <span className={`badge ${errorLevel(s.errorRate)}`}>{ratio(s.errorRate)}</span>
      </td>
      <td className="num">{count(s.requests)}</td>
      <td>
        <Time at={s.at} />
      </td>
    </tr>
  );
}

function ServiceDetail({ service }: { service: string }) {
  const { data, error } = useQuery(apmServiceQuery(service, HOURS));
  const history = [...(data?.history ?? [])].reverse();
  const series = (pick: (s: ApmSummary) => number | null) => history.flatMap((s) => (pick(s) === null ? [] : [{ t: Date.parse(s.at), v: pick(s)! }]));
  return (
    <section className="panel" aria-labelledby="service-title">
      <header className="section-head">
        <h2 id="service-title">{service}</h2>
        <span className="muted small">{history.length} exports in the last {HOURS} hours</span>
      </header>
      <ProblemMessage error={error} title="No history" />
      {data ? (
        <>
          <div className="chart-grid">
            <div>
              <h3>Latency p95</h3>
              <TimeSeriesChart points={series((s) => s.latencyP95Ms)} label="p95 latency" height={140} formatValue={msAxis} />
            </div>
            <div>
              <h3>Throughput</h3>
              <TimeSeriesChart points={series((s) => s.throughput)} label="Throughput" height={140} formatValue={rps} />
            </div>
            <div>
              <h3>Error rate</h3>
              <TimeSeriesChart points={series((s) => s.errorRate)} label="Error rate" height={140} formatValue={ratio} yRange={RATE_RANGE} />
            </div>
          </div>
          <table className="compact">
            <caption>Metrics received</caption>
            <thead>
              <tr>
                <th scope="col">Metric</th>
                <th scope="col">Kind</th>
                <th scope="col" className="num">
                  Points
                </th>
                <th scope="col">Last</th>
              </tr>
            </thead>
            <tbody>
              {data.metrics.map((m) => (
                <tr key={`${m.metric}-${m.kind}`}>
                  <td className="mono">{m.metric}</td>
                  <td>{m.kind}</td>
                  <td className="num">{count(m.points)}</td>
                  <td>
                    <Time at={m.lastAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : (
        <Loading />
      )}
    </section>
  );
}

export function ApmPage() {
  const { service } = useSearch({ from: '/app/database/apm' });
  const { data, error, isPending } = useQuery(apmServicesQuery);
  return (
    <>
      <div className="page-head">
        <h1>Database</h1>
      </div>
      <AreaTabs current="apm" />
      <p className="muted small intro">
        Per service, from the OTLP metrics perf-collector receives (Vigil's own services included): the latest export's duration histograms, with
        percentiles interpolated inside their buckets; errors are 5xx responses or points carrying error.type.
      </p>
      <ProblemMessage error={error} title="Could not load services" />
      {isPending ? <Loading /> : null}
      {data && !data.length ? (
        <EmptyState title="No service has sent metrics yet.">
          Point an OpenTelemetry metrics exporter at <span className="mono">/v1/metrics</span> of perf-collector; Vigil's services do when <span className="mono">VIGIL_SELF_METRICS_URL</span> is set.
        </EmptyState>
      ) : null}
      {data?.length ? (
        <div className="panel table-wrap flush">
          <table>
            <caption className="visually-hidden">Services by latest export</caption>
            <thead>
              <tr>
                <th scope="col">Service</th>
                <th scope="col" className="num">
                  p50
                </th>
                <th scope="col" className="num">
                  p95
                </th>
                <th scope="col" className="num">
                  p99
                </th>
                <th scope="col" className="num">
                  Throughput
                </th>
                <th scope="col" className="num">
                  Errors
                </th>
                <th scope="col" className="num">
                  Requests
                </th>
                <th scope="col">Last export</th>
              </tr>
            </thead>
            <tbody>
              {data.map((s) => (
                <ServiceRow key={s.service} s={s} selected={s.service === service} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {service ? <ServiceDetail service={service} /> : null}
    </>
  );
}
