// Alerts, filtered by state and severity from the URL. (Issue 15 adds acknowledge, silences, grouping.)
import { useQuery } from '@tanstack/react-query';
import { Loading } from '../../components/loading';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { alertsQuery } from '../../api/queries';
import { EmptyState } from '../../components/empty-state';
import { Pager, pageOf } from '../../components/pager';
import { ProblemMessage } from '../../components/problem';
import { Time } from '../../components/time';

export function AlertsPage() {
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
                </tr>
              ))}
            </tbody>
          </table>
          <Pager page={page} pages={pages} total={rows.length} label="Alerts" onPage={(p) => navigate({ search: (s) => ({ ...s, page: p }) })} />
        </div>
      ) : null}
    </>
  );
}
