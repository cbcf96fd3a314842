// /incidents/list: the incidents people opened, newest first, by status; resolved ones show how long
// acknowledging and resolving took.
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { EmptyState } from '../../components/empty-state';
import { Loading } from '../../components/loading';
import { ProblemMessage } from '../../components/problem';
import { Time } from '../../components/time';
import { IncidentTabs } from './incident-tabs';
import { formatDuration, incidentsQuery, type IncidentStatus } from './queries';
import './incidents.css';

const STATUS_TABS: { status?: IncidentStatus; label: string }[] = [{ label: 'All' }, { status: 'open', label: 'Open' }, { status: 'acknowledged', label: 'Acknowledged' }, { status: 'resolved', label: 'Resolved' }];

export function IncidentListPage() {
  const search = useSearch({ from: '/app/incidents/list' });
  const navigate = useNavigate({ from: '/incidents/list' });
  const { data, error, isPending } = useQuery(incidentsQuery({ status: search.status, cursor: search.cursor }));
  return (
    <>
      <div className="page-head">
        <h1>Incidents</h1>
      </div>
      <IncidentTabs />
      <div className="segmented status-filter" role="group" aria-label="Status">
        {STATUS_TABS.map((t) => (
          <button key={t.label} type="button" aria-pressed={search.status === t.status} onClick={() => navigate({ search: { status: t.status } })}>
            {t.label}
          </button>
        ))}
      </div>
      <ProblemMessage error={error} title="Could not load incidents" />
      {isPending ? <Loading /> : null}
      {data && !data.items.length ? (
        <EmptyState title={search.status ? `No ${search.status} incident.` : 'No incident yet.'}>Open one from an alert: its detail has an “Open incident” action.</EmptyState>
      ) : null}
      {data?.items.length ? (
        <div className="panel table-wrap">
          <table>
            <caption className="visually-hidden">Incidents</caption>
            <thead>
              <tr>
                <th scope="col">Severity</th>
                <th scope="col">Incident</th>
                <th scope="col">Status</th>
                <th scope="col">Owner</th>
                <th scope="col">Started</th>
                <th scope="col">To acknowledge</th>
                <th scope="col">To resolve</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((i) => (
                <tr key={i.id}>
                  <td>
                    <span className={`badge ${i.severity}`}>{i.severity}</span>
                  </td>
                  <td className="wrap-anywhere">
                    <Link to="/incidents/$incidentId" params={{ incidentId: i.id }}>
                      {i.title}
                    </Link>
                    <div className="muted">
                      {i.alertCount} alert{i.alertCount === 1 ? '' : 's'}
                    </div>
                  </td>
                  <td>
                    <span className={`status-pill status-${i.status}`}>{i.status}</span>
                  </td>
                  <td>{i.owner ? i.owner.name || i.owner.email : <span className="muted">nobody</span>}</td>
                  <td className="nowrap">
                    <Time at={i.startedAt} />
                  </td>
                  <td className="num">{formatDuration(i.timeToAcknowledgeSeconds)}</td>
                  <td className="num">{formatDuration(i.timeToResolveSeconds)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {data.nextCursor || search.cursor ? (
            <nav className="pager" aria-label="Incident pages">
              <button type="button" disabled={!search.cursor} onClick={() => navigate({ search: (s) => ({ ...s, cursor: undefined }) })}>
                Newest
              </button>
              <button type="button" disabled={!data.nextCursor} onClick={() => navigate({ search: (s) => ({ ...s, cursor: data.nextCursor ?? undefined }) })}>
                Older
              </button>
            </nav>
          ) : null}
        </div>
      ) : null}
    </>
  );
}
