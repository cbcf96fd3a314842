import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { recentIssuesQuery } from '../../api/queries';
import { EmptyState } from '../../components/empty-state';
import { Time } from '../../components/time';
import { useCan } from '../../app/session';
import { Tile } from './tile';

export function ErrorsTile() {
  const isAdmin = useCan('admin');
  const { data, error, isPending } = useQuery(recentIssuesQuery);
  const newIssues = (data ?? []).flatMap((p) => p.newIssues.map((i) => ({ ...i, projectName: p.project.name })));
  const regressed = (data ?? []).flatMap((p) => p.regressed.map((i) => ({ ...i, projectName: p.project.name })));
  const latest = [...regressed, ...newIssues.filter((i) => i.substatus !== 'regressed')].sort((a, b) => b.lastSeen.localeCompare(a.lastSeen)).slice(0, 6);
  const truncated = (data ?? []).some((p) => p.truncated);
  return (
    <Tile id="errors" title="Error issues, last 24 h" error={error} loading={isPending} link={<Link to="/errors">All issues</Link>}>
      {data && data.length === 0 ? (
        <EmptyState title="No projects yet.">
          {isAdmin ? (
            <>
              <Link to="/settings" search={{ tab: 'projects' }}>
                Create one
              </Link>
              : it gives you a DSN and the snippet for @sentry/node or the browser SDK.
            </>
          ) : (
            'An admin creates a project in Settings; its DSN goes into your SDK, and its issues appear here.'
          )}
        </EmptyState>
      ) : (
        <>
          <div className="counts">
            <Link to="/errors" search={{ view: 'new' }} className="count critical">
              <span className="n">
                {newIssues.length}
                {truncated ? '+' : ''}
              </span>
              <span>new</span>
            </Link>
            <Link to="/errors" search={{ view: 'regressed' }} className="count warning">
              <span className="n">{regressed.length}</span>
              <span>regressed</span>
            </Link>
          </div>
          {latest.length ? (
            <ul className="tile-list">
              {latest.map((i) => (
                <li key={i.id}>
                  <span className={`badge ${i.substatus === 'regressed' ? 'warning' : 'critical'}`}>{i.substatus === 'regressed' ? 'regressed' : 'new'}</span>
                  <Link className="grow" to="/errors" search={{ project: i.projectId, issue: i.id }} title={`${i.title} (${i.projectName})`}>
                    {i.title}
                  </Link>
                  <span className="side">
                    <Time at={i.lastSeen} />
                  </span>
                </li>
              ))}
            </ul>
          ) : (
            <EmptyState title="No new or regressed issues in the last 24 h." />
          )}
        </>
      )}
    </Tile>
  );
}
