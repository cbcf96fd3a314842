// An issue, Sentry-style: what it is and where it happens, its status actions (resolve, resolve in
// the next release, ignore, unresolve), the event-count chart (24 h / 14 d) with release and
// regression markers, the selected event in full (latest by default), tag distributions, affected
// users, activity, and every event with keyset pagination. A regression is flagged where it happened.
import { useMemo } from 'react';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { useCan } from '../../app/session';
import { Loading } from '../../components/loading';
import { ProblemMessage } from '../../components/problem';
import { Time } from '../../components/time';
import { EventDetail } from './event-detail';
import { LevelBadge, StatusBadge, compact } from './issue-badges';
import { IssueChart, type Marker } from './issue-chart';
import { IssueSidebar } from './issue-sidebar';
import { changeStatus, issueEventsQuery, issueQuery, issueSeriesQuery, type IssueEvent, type StatusChange } from './queries';
import './errors.css';

export function IssuePage() {
  const { projectId, issueId } = useParams({ from: '/app/errors/$projectId/issues/$issueId' });
  const search = useSearch({ from: '/app/errors/$projectId/issues/$issueId' });
  const navigate = useNavigate({ from: '/errors/$projectId/issues/$issueId' });
  const qc = useQueryClient();
  const canWrite = useCan('write');
  const period = search.period ?? '24h';
  const detail = useQuery(issueQuery(projectId, issueId));
  const series = useQuery(issueSeriesQuery(projectId, issueId, period));
  const events = useInfiniteQuery(issueEventsQuery(projectId, issueId));
  const triage = useMutation({ mutationFn: (change: StatusChange) => changeStatus(qc, projectId, [issueId], change) });

  const loaded = useMemo(() => events.data?.pages.flatMap((p) => p.items) ?? [], [events.data]);
  const regressionIds = useMemo(() => new Set((series.data?.regressions ?? []).map((r) => r.eventId).filter(Boolean)), [series.data]);
  const markers = useMemo<Marker[]>(
    () => [
      ...(series.data?.releases ?? []).map((r) => ({ t: Date.parse(r.firstSeen), label: r.release, kind: 'release' as const })),
      ...(series.data?.regressions ?? []).map((r) => ({ t: Date.parse(r.at), label: 'regressed', kind: 'regression' as const })),
    ],
    [series.data],
  );
  const points = useMemo(() => (series.data?.points ?? []).map((p) => ({ t: Date.parse(p.bucket), v: p.count })), [series.data]);

  if (detail.error) return <ProblemMessage error={detail.error} title="Could not load the issue" />;
  if (!detail.data) return <Loading />;
  const { issue, latestEvent, tags } = detail.data;
  const event: IssueEvent | null = (search.event && loaded.find((e) => e.eventId === search.event)) || latestEvent;
  const lastRegression = series.data?.regressions.at(-1);
  const windowTotal = points.reduce((a, p) => a + p.v, 0);

  return (
    <div className="issue-page">
      <nav className="crumbs" aria-label="Breadcrumb">
        <Link to="/errors" search={{ project: projectId }}>
          Issues
        </Link>
        <span aria-hidden="true"> / </span>
        <span className="mono">#{issue.id}</span>
      </nav>
      <header className={`issue-head level-edge-${issue.level}`}>
        <div className="issue-head-main">
          <h1 className="issue-heading">
            {issue.exceptionType ? <span className="mono">{issue.exceptionType}</span> : null}
            <span className="issue-heading-value">{issue.exceptionType && issue.title.startsWith(issue.exceptionType) ? issue.title.slice(issue.exceptionType.length).replace(/^:\s*/, '') : issue.title}</span>
          </h1>
          <div className="issue-sub">
            <LevelBadge level={issue.level} />
            <StatusBadge status={issue.status} substatus={issue.substatus} />
            {issue.culprit ? <span className="mono culprit">{issue.culprit}</span> : null}
          </div>
        </div>
        {canWrite ? (
          <div className="issue-actions" role="group" aria-label="Issue actions">
            {issue.status === 'resolved' || issue.status === 'ignored' ? (
              <button type="button" className="primary" disabled={triage.isPending} onClick={() => triage.mutate({ status: 'unresolved' })}>
                Unresolve
              </button>
            ) : (
              <>
                <button type="button" className="primary" disabled={triage.isPending} onClick={() => triage.mutate({ status: 'resolved', resolution: 'now' })}>
                  Resolve
                </button>
                <button type="button" disabled={triage.isPending} onClick={() => triage.mutate({ status: 'resolved', resolution: 'inNextRelease' })}>
                  Resolve in next release
                </button>
                <button type="button" disabled={triage.isPending} onClick={() => triage.mutate({ status: 'ignored' })}>
                  Ignore
                </button>
              </>
            )}
          </div>
        ) : null}
      </header>
      <ProblemMessage error={triage.error} title="Not changed" />
      {issue.status === 'resolved' ? (
        <p className="notice resolved-notice" role="status">
          Resolved <Time at={issue.resolvedAt} />
          {issue.resolution === 'inNextRelease' ? (
            <>
              {' '}
              in the next release{issue.resolvedAfterRelease ? <> after <span className="mono">{issue.resolvedAfterRelease}</span></> : null}: events of that release do not reopen it, a newer release does.
            </>
          ) : issue.resolvedInRelease ? (
            <>
              {' '}
              in <span className="mono">{issue.resolvedInRelease}</span>: only a newer release reopens it.
            </>
          ) : (
            <>: the next event reopens it as a regression.</>
          )}
        </p>
      ) : null}
      {issue.substatus === 'regressed' && issue.status === 'unresolved' ? (
        <div className="regression-banner" role="status" data-testid="regression">
          <strong>Regressed</strong> <Time at={issue.regressedAt ?? lastRegression?.at} />
          {lastRegression?.release ? (
            <>
              {' '}
              in <span className="mono">{lastRegression.release}</span>
            </>
          ) : null}
          {lastRegression?.eventId ? (
            <>
              {' '}
              — first seen again in event{' '}
              <Link to="." search={(s) => ({ ...s, event: lastRegression.eventId! })} className="mono">
                {lastRegression.eventId.slice(0, 12)}
              </Link>
            </>
          ) : null}
          . It had been resolved; it happens again.
        </div>
      ) : null}

      <dl className="issue-stats">
        <div>
          <dt>Events</dt>
          <dd>{compact(issue.count)}</dd>
        </div>
        <div>
          <dt>Users</dt>
          <dd>{compact(issue.usersAffected)}</dd>
        </div>
        <div>
          <dt>First seen</dt>
          <dd>
            <Time at={issue.firstSeen} />
          </dd>
        </div>
        <div>
          <dt>Last seen</dt>
          <dd>
            <Time at={issue.lastSeen} />
          </dd>
        </div>
        <div>
          <dt>Release</dt>
          <dd className="mono">{issue.lastRelease ?? '—'}</dd>
        </div>
        <div>
          <dt>Environments</dt>
          <dd>{issue.environments.join(', ') || '—'}</dd>
        </div>
      </dl>

      <section className="panel chart-panel" aria-labelledby="chart-title">
        <div className="section-head">
          <h2 id="chart-title">
            Events, last {period === '24h' ? '24 hours' : '14 days'} <span className="muted">· {windowTotal.toLocaleString('en')}</span>
          </h2>
          <div className="segmented" role="group" aria-label="Chart period">
            {(['24h', '14d'] as const).map((p) => (
              <button key={p} type="button" aria-pressed={period === p} className={period === p ? 'on' : undefined} onClick={() => navigate({ search: (s) => ({ ...s, period: p === '24h' ? undefined : p }), replace: true })}>
                {p}
              </button>
            ))}
          </div>
        </div>
        {series.data ? <IssueChart points={points} stepMs={series.data.stepSeconds * 1000} markers={markers} /> : <Loading />}
        {series.data && (series.data.releases.length || series.data.regressions.length) ? (
          <ul className="chart-legend">
            {series.data.releases.map((r) => (
              <li key={r.release}>
                <span className="legend-release" aria-hidden="true" /> <span className="mono">{r.release}</span> first seen <Time at={r.firstSeen} />
              </li>
            ))}
            {series.data.regressions.map((r) => (
              <li key={r.at}>
                <span className="legend-regression" aria-hidden="true" /> regressed <Time at={r.at} />
                {r.release ? (
                  <>
                    {' '}
                    in <span className="mono">{r.release}</span>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        ) : null}
      </section>

      <div className="issue-body">
        <div className="issue-main panel">
          <div className="event-nav">
            <h2 className="event-title">
              {event && event.eventId === latestEvent?.eventId ? 'Latest event' : 'Event'} {event ? <span className="mono muted">{event.eventId.slice(0, 12)}</span> : null}
              {event && regressionIds.has(event.eventId) ? <span className="badge warning">regression</span> : null}
            </h2>
            {event ? (
              <span className="muted">
                <Time at={event.receivedAt} />
              </span>
            ) : null}
          </div>
          {event ? <EventDetail event={event} full={!!search.full} onFull={(full) => navigate({ search: (s) => ({ ...s, full: full || undefined }), replace: true })} /> : <p className="muted">No event stored (retention may have removed it).</p>}
        </div>
        <IssueSidebar projectId={projectId} issueId={issueId} total={issue.count} tags={tags} />
      </div>

      <section className="panel events-panel" aria-labelledby="events-title">
        <h2 id="events-title">All events</h2>
        <ProblemMessage error={events.error} title="Could not load events" />
        <table className="events-table">
          <caption className="visually-hidden">Events of this issue, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Received</th>
              <th scope="col">Release</th>
              <th scope="col">Environment</th>
              <th scope="col">User</th>
            </tr>
          </thead>
          <tbody>
            {loaded.map((e) => (
              <tr key={e.eventId} className={e.eventId === event?.eventId ? 'selected' : undefined} aria-selected={e.eventId === event?.eventId || undefined}>
                <td>
                  <Link to="." search={(s) => ({ ...s, event: e.eventId })} className="mono">
                    {e.eventId.slice(0, 12)}
                  </Link>
                  {regressionIds.has(e.eventId) ? <span className="badge warning">regression</span> : null}
                </td>
                <td>
                  <Time at={e.receivedAt} mode="absolute" />
                </td>
                <td className="mono">{e.release ?? '—'}</td>
                <td>{e.environment ?? '—'}</td>
                <td className="mono muted">{e.userRef ? e.userRef.slice(0, 10) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {events.hasNextPage ? (
          <button type="button" onClick={() => void events.fetchNextPage()} disabled={events.isFetchingNextPage}>
            {events.isFetchingNextPage ? 'Loading…' : 'Older events'}
          </button>
        ) : loaded.length ? (
          <p className="muted small">All {loaded.length} stored events shown.</p>
        ) : null}
      </section>
    </div>
  );
}
