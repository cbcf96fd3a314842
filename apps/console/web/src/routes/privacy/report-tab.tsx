// The compliance report: request service level, consent rates per purpose, breaches and the audit chain.
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { EmptyState } from '../../components/empty-state';
import { Loading } from '../../components/loading';
import { ProblemMessage } from '../../components/problem';
import { Time } from '../../components/time';
import { complianceReportQuery } from './queries';
import { KIND_LABEL, shortId, STATE_LABEL } from './request-labels';
import { Stat } from './requests-tab';

const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)} %`);

export function ReportTab() {
  const { data, error, isPending } = useQuery(complianceReportQuery);
  if (error) return <ProblemMessage error={error} title="Could not load the compliance report" />;
  if (isPending) return <Loading />;
  const r = data.requests;
  return (
    <>
      <p className="muted">
        Tenant <span className="mono">{data.tenantId}</span> · generated <Time at={data.generatedAt} mode="absolute" />
      </p>
      <div className="stat-row" aria-label="Summary">
        <Stat label="Requests" value={r.total} />
        <Stat label="Completed on time" value={pct(r.completedOnTimeRate)} tone={r.completedOnTimeRate !== null && r.completedOnTimeRate < 1 ? 'warning' : undefined} />
        <Stat label="Overdue requests" value={r.overdue.length} tone="critical" />
        <Stat label="Breaches" value={data.breaches.total} />
        <Stat label="Breaches overdue" value={data.breaches.overdue} tone="critical" />
        <Stat label="Audit chain" value={data.auditChain.valid ? 'intact' : 'broken'} tone={data.auditChain.valid ? 'ok' : 'critical'} />
      </div>
      <div className="report-grid">
        <section className="panel" aria-labelledby="rep-req-h">
          <h2 id="rep-req-h">Subject requests</h2>
          {r.byKindAndState.length ? (
            <table>
              <thead>
                <tr>
                  <th scope="col">Type</th>
                  <th scope="col">Status</th>
                  <th scope="col">Count</th>
                  <th scope="col">On time</th>
                  <th scope="col">Mean days</th>
                </tr>
              </thead>
              <tbody>
                {r.byKindAndState.map((s) => (
                  <tr key={s.kind + s.state}>
                    <td>{KIND_LABEL[s.kind as keyof typeof KIND_LABEL] ?? s.kind}</td>
                    <td>{STATE_LABEL[s.state as keyof typeof STATE_LABEL] ?? s.state}</td>
                    <td>{s.count}</td>
                    <td>{s.state === 'completed' ? s.onTime : '—'}</td>
                    <td>{s.avgDays === null ? '—' : s.avgDays.toFixed(1)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <EmptyState title="No request yet." />
          )}
          {r.overdue.length ? (
            <>
              <h3>Overdue</h3>
              <ul className="tile-list">
                {r.overdue.map((o) => (
                  <li key={o.id}>
                    <Link to="/privacy/requests/$requestId" params={{ requestId: o.id }} className="mono">
                      {shortId(o.id)}
                    </Link>
                    <span className="grow">{KIND_LABEL[o.kind as keyof typeof KIND_LABEL] ?? o.kind}</span>
                    <Time at={o.deadline} />
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
        <section className="panel" aria-labelledby="rep-consent-h">
          <h2 id="rep-consent-h">Consent rate per purpose</h2>
          {data.consent.length ? (
            <ul className="bars">
              {data.consent.map((c) => (
                <li key={c.purpose}>
                  <span className="mono">{c.purpose}</span>
                  <span className="bar" aria-hidden="true">
                    <span style={{ width: `${Math.round(c.rate * 100)}%` }} />
                  </span>
                  <span>
                    {pct(c.rate)} <span className="muted small">of {c.subjects}</span>
                  </span>
                </li>
              ))}
            </ul>
          ) : (
            <EmptyState title="No consent recorded yet." />
          )}
        </section>
        <section className="panel" aria-labelledby="rep-breach-h">
          <h2 id="rep-breach-h">Breaches</h2>
          <dl className="facts">
            <dt>Recorded</dt>
            <dd>{data.breaches.total}</dd>
            <dt>Authority notified</dt>
            <dd>
              {data.breaches.notified} ({data.breaches.notifiedInTime} within 72 h)
            </dd>
            <dt>Not notifiable (documented)</dt>
            <dd>{data.breaches.notNotified}</dd>
            <dt>Notification overdue</dt>
            <dd>{data.breaches.overdue}</dd>
          </dl>
        </section>
        <section className="panel" aria-labelledby="rep-audit-h">
          <h2 id="rep-audit-h">Audit chain</h2>
          <dl className="facts">
            <dt>Entries verified</dt>
            <dd>{data.auditChain.entries}</dd>
            <dt>Signed checkpoints</dt>
            <dd>
              {data.auditChain.checkpoints.verified} of {data.auditChain.checkpoints.total} hold
            </dd>
            <dt>First broken entry</dt>
            <dd>{data.auditChain.firstBroken ? <span className="field-error">{data.auditChain.firstBroken.seq}</span> : 'none'}</dd>
          </dl>
          <Link to="/privacy" search={{ tab: 'audit' }}>
            Open the audit log
          </Link>
        </section>
      </div>
    </>
  );
}
