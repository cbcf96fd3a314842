// Alerts, filtered by state and severity from the URL; acknowledge and resolve for the write role.
// (Issue 15 adds silences, grouping and history.)
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Loading } from '../../components/loading';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { alertsQuery, type Alert } from '../../api/queries';
import { alerting, unwrap } from '../../api/services';
import { useCan } from '../../app/session';
import { EmptyState } from '../../components/empty-state';
import { Pager, pageOf } from '../../components/pager';
import { ProblemMessage } from '../../components/problem';
import { Time } from '../../components/time';
import { WhatChangedPanel } from '../incidents/what-changed-panel';

/** Acknowledge / resolve: write role and above only (the alerting service refuses a reader anyway). */
function AlertActions({ alert }: { alert: Alert }) {
  const client = useQueryClient();
  const done = () => client.invalidateQueries({ queryKey: ['alerting'] });
  const ack = useMutation({
    mutationFn: () => unwrap(alerting.POST('/v1/alerts/{alertId}/acknowledge', { params: { path: { alertId: alert.id } }, body: {} })),
    onSettled: done,
  });
  const resolve = useMutation({
    mutationFn: () => unwrap(alerting.POST('/v1/alerts/{alertId}/resolve', { params: { path: { alertId: alert.id } }, body: {} })),
    onSettled: done,
  });
  if (alert.state === 'resolved') return null;
  const name = alert.labels.alertname ?? alert.fingerprint;
  return (
    <>
      <span className="actions">
        {alert.state === 'firing' ? (
          <button type="button" onClick={() => ack.mutate()} disabled={ack.isPending} aria-label={`Acknowledge ${name}`}>
            Acknowledge
          </button>
        ) : null}
        <button type="button" onClick={() => resolve.mutate()} disabled={resolve.isPending} aria-label={`Resolve ${name}`}>
          Resolve
        </button>
      </span>
      <ProblemMessage error={ack.error ?? resolve.error} title="Not changed" />
    </>
  );
}

export function AlertsPage() {
  const canWrite = useCan('write');
  const search = useSearch({ from: '/app/alerts' });
  const navigate = useNavigate({ from: '/alerts' });
  const { data, error, isPending } = useQuery(alertsQuery(search.state));
  const rows = (data ?? []).filter((a) => !search.severity || a.severity === search.severity);
  const severities = [...new Set((data ?? []).map((a) => a.severity))].sort();
  const { rows: pageRows, pages, page } = pageOf(rows, search.page ?? 1);
  return (
    <>
      <h1>Alerts</h1>
      <div className="panel">
        <div className="form-row">
          <div className="field">
            <label htmlFor="alert-state">State</label>
            <select id="alert-state" value={search.state ?? ''} onChange={(e) => navigate({ search: (s) => ({ ...s, state: (e.target.value || undefined) as typeof s.state, page: undefined }) })}>
              <option value="">any</option>
              <option value="firing">firing</option>
              <option value="acknowledged">acknowledged</option>
              <option value="resolved">resolved</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="alert-severity">Severity</label>
            <select id="alert-severity" value={search.severity ?? ''} onChange={(e) => navigate({ search: (s) => ({ ...s, severity: e.target.value || undefined, page: undefined }) })}>
              <option value="">any</option>
              {[...new Set([...severities, ...(search.severity ? [search.severity] : [])])].map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </div>
        </div>
      </div>
      <ProblemMessage error={error} title="Could not load alerts" />
      {isPending ? <Loading /> : null}
      {data && !rows.length ? <EmptyState title="No alert matches these filters.">Clear a filter above, or check the alert rules.</EmptyState> : null}
      {rows.length ? (
        <div className="panel table-wrap">
          <table>
            <caption className="visually-hidden">Alerts</caption>
            <thead>
              <tr>
                <th scope="col">Severity</th>
                <th scope="col">Alert</th>
                <th scope="col">State</th>
                <th scope="col">Started</th>
                <th scope="col">Source</th>
                {canWrite ? (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {pageRows.map((a) => (
                <tr key={a.id} aria-selected={a.id === search.alert || undefined} className={a.id === search.alert ? 'selected' : undefined}>
                  <td>
                    <span className={`badge ${a.severity}`}>{a.severity}</span>
                  </td>
                  <td className="wrap-anywhere">
                    <Link from="/alerts" to="/alerts" search={(s) => ({ ...s, alert: a.id })}>
                      {a.annotations.summary ?? a.labels.alertname ?? a.fingerprint}
                    </Link>
                    {a.id === search.alert ? (
                      <div className="mono muted">
                        {Object.entries(a.labels)
                          .map(([k, v]) => `${k}=${v}`)
                          .join(' ')}
                      </div>
                    ) : null}
                  </td>
                  <td>{a.state}</td>
                  <td>
                    <Time at={a.startsAt} />
                  </td>
                  <td>{a.source}</td>
                  {canWrite ? (
                    <td>
                      <AlertActions alert={a} />
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
          <Pager page={page} pages={pages} total={rows.length} label="Alerts" onPage={(p) => navigate({ search: (s) => ({ ...s, page: p }) })} />
        </div>
      ) : null}
      {rows.find((a) => a.id === search.alert) ? <WhatChangedPanel alert={rows.find((a) => a.id === search.alert)!} /> : null}
    </>
  );
}
