// Error issues: new and regressed in the last 24 h across projects, or one project's unresolved issues.
// (Issue 15 adds the issue detail, events and stack traces.)
import { useQuery } from '@tanstack/react-query';
import { Loading } from '../../components/loading';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { issuesQuery, projectsQuery, recentIssuesQuery, type Issue } from '../../api/queries';
import { EmptyState } from '../../components/empty-state';
import { CursorPager } from '../../components/cursor-pager';
import { PAGE_SIZE, Pager, pageOf } from '../../components/pager';
import { ProblemMessage } from '../../components/problem';
import { useCan } from '../../app/session';
import { Time } from '../../components/time';

function IssueTable({ issues, selected, projectName }: { issues: Issue[]; selected?: string; projectName: (id: string) => string }) {
  return (
    <table>
      <caption className="visually-hidden">Issues</caption>
      <thead>
        <tr>
          <th scope="col">Issue</th>
          <th scope="col">Project</th>
          <th scope="col">Events</th>
          <th scope="col">Users</th>
          <th scope="col">First seen</th>
          <th scope="col">Last seen</th>
        </tr>
      </thead>
      <tbody>
        {issues.map((i) => (
          <tr key={i.id} className={i.id === selected ? 'selected' : undefined} aria-selected={i.id === selected || undefined}>
            <td className="wrap-anywhere">
              <Link from="/errors" to="/errors" search={(s) => ({ ...s, project: i.projectId, issue: i.id })}>
                {i.title}
              </Link>
              {i.substatus === 'regressed' ? <span className="badge warning">regressed</span> : null}
              {i.culprit ? <div className="muted mono">{i.culprit}</div> : null}
            </td>
            <td>{projectName(i.projectId)}</td>
            <td>{i.count}</td>
            <td>{i.usersAffected}</td>
            <td>
              <Time at={i.firstSeen} />
            </td>
            <td>
              <Time at={i.lastSeen} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ErrorsPage() {
  const isAdmin = useCan('admin');
  const search = useSearch({ from: '/app/errors' });
  const navigate = useNavigate({ from: '/errors' });
  const projects = useQuery(projectsQuery);
  const page = search.page ?? 1;
  const recent = useQuery({ ...recentIssuesQuery, enabled: !search.project });
  const projectIssues = useQuery({ ...issuesQuery(search.project ?? '', search.cursor, PAGE_SIZE), enabled: !!search.project });
  const nameOf = (id: string) => projects.data?.find((p) => p.id === id)?.name ?? id;

  const recentRows = (recent.data ?? []).flatMap((p) => (search.view === 'regressed' ? p.regressed : search.view === 'new' ? p.newIssues : [...p.regressed, ...p.newIssues.filter((i) => i.substatus !== 'regressed')]));
  const recentPage = pageOf(recentRows, page);
  const error = projects.error ?? recent.error ?? projectIssues.error;
  return (
    <>
      <h1>Errors</h1>
      <div className="panel form-row">
        <div className="field">
          <label htmlFor="errors-project">Project</label>
          <select id="errors-project" value={search.project ?? ''} onChange={(e) => navigate({ search: { project: e.target.value || undefined } })}>
            <option value="">All projects, last 24 h</option>
            {(projects.data ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        {!search.project ? (
          <div className="field">
            <label htmlFor="errors-view">Show</label>
            <select id="errors-view" value={search.view ?? ''} onChange={(e) => navigate({ search: (s) => ({ ...s, view: (e.target.value || undefined) as typeof s.view, page: undefined }) })}>
              <option value="">new and regressed</option>
              <option value="new">new</option>
              <option value="regressed">regressed</option>
            </select>
          </div>
        ) : null}
      </div>
      <ProblemMessage error={error} title="Could not load issues" />
      {projects.data && !projects.data.length ? (
        <EmptyState title="No projects yet.">
          {isAdmin ? (
            <>
              <Link to="/settings" search={{ tab: 'projects' }}>
                Create one
              </Link>
              ; it gives you the DSN to put in your SDK.
            </>
          ) : (
            'An admin creates a project in Settings; its DSN goes into your SDK.'
          )}
        </EmptyState>
      ) : search.project ? (
        projectIssues.data ? (
          projectIssues.data.items.length ? (
            <div className="panel table-wrap">
              <IssueTable issues={projectIssues.data.items} selected={search.issue} projectName={nameOf} />
              <CursorPager
                page={search.cursor ? page : 1}
                nextCursor={projectIssues.data.nextCursor}
                label="Issues"
                onFirst={() => navigate({ search: (s) => ({ ...s, page: undefined, cursor: undefined }) })}
                onNext={(cursor) => navigate({ search: (s) => ({ ...s, page: (s.cursor ? (s.page ?? 1) : 1) + 1, cursor }) })}
              />
            </div>
          ) : (
            <EmptyState title="No unresolved issues in this project.">Exceptions sent with the project's DSN appear here.</EmptyState>
          )
        ) : null
      ) : recent.data ? (
        recentRows.length ? (
          <div className="panel table-wrap">
            <IssueTable issues={recentPage.rows} selected={search.issue} projectName={nameOf} />
            <Pager page={recentPage.page} pages={recentPage.pages} total={recentRows.length} label="Issues" onPage={(p) => navigate({ search: (s) => ({ ...s, page: p }) })} />
          </div>
        ) : (
          <EmptyState title="No new or regressed issues in the last 24 h.">Pick a project above to see all its unresolved issues.</EmptyState>
        )
      ) : (
        <Loading />
      )}
    </>
  );
}
