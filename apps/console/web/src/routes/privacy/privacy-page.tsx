// Open subject requests and the breach register, each a tab in the URL (issue 17 adds the rest).
import { useQuery } from '@tanstack/react-query';
import { Loading } from '../../components/loading';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { breachesQuery, isBreachClockOpen, openSubjectRequestsQuery } from '../../api/queries';
import { EmptyState } from '../../components/empty-state';
import { Pager, pageOf } from '../../components/pager';
import { ProblemMessage } from '../../components/problem';
import { Time, useNow } from '../../components/time';

function Requests({ selected, page, onPage }: { selected?: string; page: number; onPage: (p: number) => void }) {
  const { data, error, isPending } = useQuery(openSubjectRequestsQuery);
  if (error) return <ProblemMessage error={error} title="Could not load subject requests" />;
  if (isPending) return <Loading />;
  if (!data.length) return <EmptyState title="No open subject request.">Requests arrive through the gdpr service (POST /api/gdpr/v1/subject-requests).</EmptyState>;
  const p = pageOf(data, page);
  return (
    <div className="panel table-wrap">
      <table>
        <caption className="visually-hidden">Open subject requests, soonest deadline first</caption>
        <thead>
          <tr>
            <th scope="col">Subject</th>
            <th scope="col">Kind</th>
            <th scope="col">State</th>
            <th scope="col">Received</th>
            <th scope="col">Deadline</th>
          </tr>
        </thead>
        <tbody>
          {p.rows.map((r) => (
            <tr key={r.id} className={r.id === selected ? 'selected' : undefined} aria-selected={r.id === selected || undefined}>
              <td className="wrap-anywhere">
                <Link from="/privacy" to="/privacy" search={(s) => ({ ...s, request: r.id })}>
                  {r.subjectRef}
                </Link>
              </td>
              <td>{r.kind}</td>
              <td>{r.state.replace('_', ' ')}</td>
              <td>
                <Time at={r.receivedAt} />
              </td>
              <td>
                <Time at={r.effectiveDeadline} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager page={p.page} pages={p.pages} total={data.length} label="Subject requests" onPage={onPage} />
    </div>
  );
}

function Breaches({ selected }: { selected?: string }) {
  const { data, error, isPending } = useQuery(breachesQuery);
  const now = useNow();
  if (error) return <ProblemMessage error={error} title="Could not load breaches" />;
  if (isPending) return <Loading />;
  if (!data.length) return <EmptyState title="No breach recorded.">Record one with the gdpr service (POST /api/gdpr/v1/breaches): its 72-hour clock starts at awareness.</EmptyState>;
  return (
    <div className="panel table-wrap">
      <table>
        <caption className="visually-hidden">Breach register</caption>
        <thead>
          <tr>
            <th scope="col">Breach</th>
            <th scope="col">Risk</th>
            <th scope="col">Aware</th>
            <th scope="col">Authority notification</th>
          </tr>
        </thead>
        <tbody>
          {data.map((b) => {
            const hours = (Date.parse(b.notifyDeadline) - now) / 3_600_000;
            return (
              <tr key={b.id} className={b.id === selected ? 'selected' : undefined} aria-selected={b.id === selected || undefined}>
                <td className="wrap-anywhere">
                  <Link from="/privacy" to="/privacy" search={(s) => ({ ...s, breach: b.id })}>
                    {b.title}
                  </Link>
                </td>
                <td>{b.risk}</td>
                <td>
                  <Time at={b.awareAt} />
                </td>
                <td>
                  {isBreachClockOpen(b) ? (
                    <span className={`badge ${hours < 24 ? 'critical' : 'warning'}`}>{hours < 0 ? `${Math.round(-hours)} h overdue` : `${Math.floor(hours)} h left`}</span>
                  ) : b.authorityNotifiedAt ? (
                    <>
                      notified <Time at={b.authorityNotifiedAt} />
                    </>
                  ) : (
                    'not notified (reason recorded)'
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function PrivacyPage() {
  const search = useSearch({ from: '/app/privacy' });
  const navigate = useNavigate({ from: '/privacy' });
  const tab = search.tab ?? 'requests';
  return (
    <>
      <h1>Privacy</h1>
      <div className="tabs" role="tablist" aria-label="Privacy">
        <Link to="/privacy" search={{ tab: 'requests' }} role="tab" aria-selected={tab === 'requests'}>
          Subject requests
        </Link>
        <Link to="/privacy" search={{ tab: 'breaches' }} role="tab" aria-selected={tab === 'breaches'}>
          Breaches
        </Link>
      </div>
      <div role="tabpanel" aria-label={tab === 'requests' ? 'Subject requests' : 'Breaches'}>
        {tab === 'requests' ? (
          <Requests selected={search.request} page={search.page ?? 1} onPage={(p) => navigate({ search: (s) => ({ ...s, page: p }) })} />
        ) : (
          <Breaches selected={search.breach} />
        )}
      </div>
    </>
  );
}
