// The issue page's side column: each tag's value distribution (share of the issue's events), the
// users it affected (pseudonyms: the service never stores the raw identifiers) and its activity.
import { useQuery } from '@tanstack/react-query';
import { Time } from '../../components/time';
import { ProblemMessage } from '../../components/problem';
import { issueActivityQuery, issueUsersQuery, type IssueDetail } from './queries';

const KIND_LABEL: Record<string, string> = { resolved: 'Resolved', ignored: 'Ignored', unresolved: 'Reopened', regressed: 'Regressed' };
const RESOLUTION_LABEL: Record<string, string> = { now: '', inRelease: ' in release', inNextRelease: ' in the next release' };

export function IssueSidebar({ projectId, issueId, total, tags }: { projectId: string; issueId: string; total: number; tags: IssueDetail['tags'] }) {
  const users = useQuery(issueUsersQuery(projectId, issueId));
  const activity = useQuery(issueActivityQuery(projectId, issueId));
  return (
    <aside className="issue-side" aria-label="Issue details">
      <section className="panel" aria-labelledby="side-tags">
        <h2 id="side-tags">Tags</h2>
        {tags.length ? (
          <ul className="tag-dist">
            {tags.map((t) => {
              const top = t.values[0];
              return (
                <li key={t.key}>
                  <div className="tag-dist-head">
                    <span className="tag-key">{t.key}</span>
                    <span className="muted">{t.values.length > 1 ? `${t.values.length} values` : top?.value}</span>
                  </div>
                  <div className="dist-bar" role="img" aria-label={t.values.map((v) => `${v.value} ${Math.round((v.count / Math.max(1, total)) * 100)}%`).join(', ')}>
                    {t.values.slice(0, 5).map((v, n) => (
                      <span key={v.value} className={`dist-seg seg-${n}`} style={{ width: `${(v.count / Math.max(1, total)) * 100}%` }} title={`${v.value}: ${v.count}`} />
                    ))}
                  </div>
                  <ul className="tag-values">
                    {t.values.slice(0, 3).map((v) => (
                      <li key={v.value}>
                        <span className="mono wrap-anywhere">{v.value}</span>
                        <span className="muted">{Math.round((v.count / Math.max(1, total)) * 100)}%</span>
                      </li>
                    ))}
                  </ul>
                </li>
              );
            })}
          </ul>
        ) : (
          <p className="muted">No tags on this issue's events.</p>
        )}
      </section>

      <section className="panel" aria-labelledby="side-users">
        <h2 id="side-users">
          Users affected <span className="muted">· {users.data?.total ?? '…'}</span>
        </h2>
        <ProblemMessage error={users.error} title="Could not load users" />
        {users.data?.items.length ? (
          <table className="kv users-table">
            <caption className="visually-hidden">Users affected (pseudonyms) and their events</caption>
            <thead>
              <tr>
                <th scope="col">User (pseudonym)</th>
                <th scope="col">Events</th>
                <th scope="col">Last seen</th>
              </tr>
            </thead>
            <tbody>
              {users.data.items.map((u) => (
                <tr key={u.userRef}>
                  <td className="mono" title={u.userRef}>
                    {u.userRef.slice(0, 12)}
                  </td>
                  <td>{u.events}</td>
                  <td className="muted">
                    <Time at={u.lastSeen} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : users.data ? (
          <p className="muted">No user was attached to its events.</p>
        ) : null}
      </section>

      <section className="panel" aria-labelledby="side-activity">
        <h2 id="side-activity">Activity</h2>
        <ProblemMessage error={activity.error} title="Could not load activity" />
        {activity.data?.items.length ? (
          <ol className="activity">
            {activity.data.items.map((a) => (
              <li key={a.id} className={`activity-${a.kind}`}>
                <strong>
                  {KIND_LABEL[a.kind] ?? a.kind}
                  {typeof a.detail.resolution === 'string' ? RESOLUTION_LABEL[a.detail.resolution] : ''}
                </strong>
                {a.release ? (
                  <>
                    {' '}
                    <span className="mono">{a.release}</span>
                  </>
                ) : null}{' '}
                <span className="muted">
                  <Time at={a.at} />
                </span>
              </li>
            ))}
          </ol>
        ) : activity.data ? (
          <p className="muted">No status changes yet.</p>
        ) : null}
      </section>
    </aside>
  );
}
