// One alert: labels, annotations and its runbook; acknowledge (with a comment), resolve, silence; its state
// history (fired, acknowledged by whom and why, escalated, resolved), the escalation step it is on, and every
// notification that carried it with receiver, status, attempts and last error.
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useCan } from '../../app/session';
import { EmptyState } from '../../components/empty-state';
import { formatMatchers } from '../../components/label-matcher';
import { Loading } from '../../components/loading';
import { ProblemMessage } from '../../components/problem';
import { formatDuration, Time } from '../../components/time';
import { AckDialog } from './ack-dialog';
import { actorName, useAlertActions } from './actions';
import { AreaTabs } from './area-tabs';
import { alertHistoryQuery, alertQuery, deliveriesQuery, escalationQuery, type AlertDetail, type Delivery, type HistoryEntry } from './queries';
import { runbookOf, runbookTarget } from './runbook-link';
import { WhatChangedSlot } from './what-changed-slot';
import './alerts.css';

const EVENT_TEXT: Record<HistoryEntry['event'], string> = { fired: 'Fired', acknowledged: 'Acknowledged', resolved: 'Resolved', escalated: 'Escalated' };

export function AlertDetailPage() {
  const { alertId } = useParams({ from: '/app/alerts/$alertId' });
  const { data: alert, error, isPending } = useQuery(alertQuery(alertId));
  return (
    <>
      <AreaTabs current="/alerts" />
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/alerts">Alerts</Link> <span aria-hidden="true">/</span> <span aria-current="page">{alert ? (alert.labels.alertname ?? alert.fingerprint) : 'Alert'}</span>
      </nav>
      <ProblemMessage error={error} title="Could not load the alert" />
      {isPending ? <Loading what="Loading the alert…" /> : null}
      {alert ? <AlertView alert={alert} /> : null}
    </>
  );
}

function AlertView({ alert }: { alert: AlertDetail }) {
  const canWrite = useCan('write');
  const navigate = useNavigate();
  const [acking, setAcking] = useState(false);
  const { acknowledge, resolve } = useAlertActions();
  const name = alert.labels.alertname ?? alert.fingerprint;
  const runbook = runbookTarget(runbookOf(alert.annotations), window.location.origin);
  const annotations = Object.entries(alert.annotations).filter(([k]) => !['summary', 'runbook_url', 'runbookUrl', 'runbook'].includes(k));
  const silence = () => navigate({ to: '/alerts/silences', search: { edit: 'new', matchers: formatMatchers(Object.entries(alert.labels).map(([n, v]) => ({ name: n, op: '=' as const, value: v }))), from: alert.id } });
  return (
    <>
      <header className="detail-head panel">
        <div className="detail-title">
          <span className={`badge ${alert.severity}`}>{alert.severity}</span>
          <h1>{name}</h1>
          <span className={`badge state-${alert.state}`}>{alert.state}</span>
        </div>
        {alert.annotations.summary ? <p className="detail-summary">{alert.annotations.summary}</p> : null}
        <p className="muted detail-meta">
          Fired <Time at={alert.startsAt} /> · source {alert.source}
          {alert.state === 'acknowledged' ? (
            <>
              {' '}
              · acknowledged by <strong data-testid="acknowledged-by">{actorName(alert.acknowledgedBy)}</strong> <Time at={alert.acknowledgedAt} />
            </>
          ) : null}
          {alert.resolvedAt ? (
            <>
              {' '}
              · resolved <Time at={alert.resolvedAt} /> after {formatDuration((Date.parse(alert.resolvedAt) - Date.parse(alert.startsAt)) / 1000)}
            </>
          ) : null}
        </p>
        <div className="actions">
          {canWrite && alert.state === 'firing' ? (
            <button type="button" className="primary" onClick={() => setAcking(true)}>
              Acknowledge…
            </button>
          ) : null}
          {canWrite && alert.state !== 'resolved' ? (
            <>
              <button type="button" onClick={silence}>
                Silence…
              </button>
              <button type="button" onClick={() => resolve.mutate({ ids: [alert.id] })} disabled={resolve.isPending}>
                Resolve
              </button>
            </>
          ) : null}
          {runbook?.kind === 'console' ? (
            <a className="button" href={runbook.path}>
              Open runbook
            </a>
          ) : null}
          {runbook?.kind === 'external' ? (
            <a className="button" href={runbook.url} target="_blank" rel="noreferrer noopener">
              Open runbook ↗
            </a>
          ) : null}
          {alert.generatorUrl ? (
            <a className="button" href={alert.generatorUrl} target="_blank" rel="noreferrer noopener">
              Source ↗
            </a>
          ) : null}
        </div>
        <ProblemMessage error={resolve.error} title="Not resolved" />
      </header>
      <div className="detail-grid">
        <div className="detail-col">
          <section className="panel" aria-labelledby="labels-h">
            <h2 id="labels-h">Labels</h2>
            <ul className="label-chips wide">
              {Object.entries(alert.labels).map(([k, v]) => (
                <li key={k}>
                  <Link to="/alerts" search={{ filter: formatMatchers([{ name: k, op: '=', value: v }]) }} className="label-chip mono" title={`Alerts with ${k}="${v}"`}>
                    <span className="label-name">{k}</span>
                    <span className="label-value">{v}</span>
                  </Link>
                </li>
              ))}
            </ul>
            {annotations.length ? (
              <>
                <h2 className="sub-h">Annotations</h2>
                <dl className="annotations">
                  {annotations.map(([k, v]) => (
                    <div key={k}>
                      <dt className="mono">{k}</dt>
                      <dd>{v}</dd>
                    </div>
                  ))}
                </dl>
              </>
            ) : null}
          </section>
          <HistorySection alertId={alert.id} />
          {/* "What changed around this alert" — the incidents area's panel goes in this slot (see what-changed-slot.tsx). */}
          <WhatChangedSlot alert={alert} />
        </div>
        <div className="detail-col">
          <EscalationSection alertId={alert.id} state={alert.state} />
          <DeliveriesSection alertId={alert.id} />
        </div>
      </div>
      <AckDialog
        open={acking}
        count={1}
        busy={acknowledge.isPending}
        error={acknowledge.error}
        onCancel={() => setAcking(false)}
        onConfirm={(note) => acknowledge.mutate({ ids: [alert.id], note }, { onSuccess: () => setAcking(false) })}
      />
    </>
  );
}

function HistorySection({ alertId }: { alertId: string }) {
  const { data, error } = useQuery(alertHistoryQuery(alertId));
  return (
    <section className="panel" aria-labelledby="history-h">
      <h2 id="history-h">State history</h2>
      <ProblemMessage error={error} title="Could not load the history" />
      {data ? (
        <ol className="history" data-testid="alert-history">
          {[...data].reverse().map((e, i) => (
            <li key={`${e.at}-${i}`} className={`history-${e.event}`}>
              <span className="history-dot" aria-hidden="true" />
              <div>
                <strong>{EVENT_TEXT[e.event]}</strong> <span className="muted">by</span> <span className="history-actor">{actorName(e.actor)}</span> · <Time at={e.at} />
                {e.note ? <blockquote className="history-note">{e.note}</blockquote> : null}
              </div>
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}

function EscalationSection({ alertId, state }: { alertId: string; state: string }) {
  const { data } = useQuery(escalationQuery(alertId));
  const items = data?.items ?? [];
  return (
    <section className="panel" aria-labelledby="escalation-h">
      <h2 id="escalation-h">Escalation</h2>
      {data && !items.length ? (
        <p className="muted">
          {state === 'firing' ? 'No escalation policy applies to this alert.' : state === 'acknowledged' ? 'Stopped when the alert was acknowledged.' : 'Stopped: the alert resolved.'}
        </p>
      ) : null}
      {items.map((e) => (
        <div key={e.policy} className="escalation">
          <p>
            Policy <strong>{e.policy}</strong>
            {e.repeat ? `, round ${e.round + 1} of ${e.repeat + 1}` : ''}: next step <Time at={e.nextAt} />
          </p>
          <ol className="steps">
            {e.steps.map((s, i) => (
              <li key={i} className={i < e.step ? 'done' : i === e.step ? 'current' : undefined} aria-current={i === e.step ? 'step' : undefined}>
                <span className="step-n">{i + 1}</span> after {s.afterMinutes} min → <span className="mono">{s.receiver}</span>
                {i === e.step ? <span className="badge warning">next</span> : i < e.step ? <span className="badge ok">notified</span> : null}
              </li>
            ))}
          </ol>
        </div>
      ))}
    </section>
  );
}

const DELIVERY_BADGE: Record<Delivery['state'], string> = { delivered: 'ok', dead: 'critical', queued: 'info', sending: 'warning' };

const SHOWN_DELIVERIES = 8;

function DeliveriesSection({ alertId }: { alertId: string }) {
  const { data, error } = useQuery(deliveriesQuery(alertId));
  const [all, setAll] = useState(false);
  const items = data ? (all ? data.items : data.items.slice(0, SHOWN_DELIVERIES)) : [];
  return (
    <section className="panel" aria-labelledby="deliveries-h">
      <h2 id="deliveries-h">Notifications</h2>
      <ProblemMessage error={error} title="Could not load the deliveries" />
      {data && !data.items.length ? <EmptyState title="No notification has carried this alert yet.">Route it to a receiver (Settings → Alert receivers) to be notified.</EmptyState> : null}
      {data?.items.length ? (
        <div className="table-wrap" tabIndex={0} role="group" aria-label="Notifications table">
          <table className="deliveries">
            <caption className="visually-hidden">Notifications that carried this alert</caption>
            <thead>
              <tr>
                <th scope="col">Receiver</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Sent</th>
              </tr>
            </thead>
            <tbody>
              {items.map((d) => (
                <tr key={d.id}>
                  <td className="nowrap">
                    <span className="mono">{d.receiver}</span>
                    <div className="muted small">{d.kind}</div>
                  </td>
                  <td className="nowrap">
                    <span className={`badge ${DELIVERY_BADGE[d.state]}`}>{d.state}</span>
                    {d.lastStatus ? <span className="muted mono"> {d.lastStatus}</span> : null}
                    {d.lastError ? <div className="mono small delivery-error">{d.lastError}</div> : null}
                  </td>
                  <td>{d.attempts}</td>
                  <td className="nowrap">
                    <Time at={d.createdAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {data.items.length > SHOWN_DELIVERIES ? (
            <button type="button" className="show-all" onClick={() => setAll(!all)}>
              {all ? 'Show fewer' : `Show all ${data.items.length}${data.nextCursor ? '+' : ''}`}
            </button>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
