import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { breachesQuery, isBreachClockOpen, openSubjectRequestsQuery } from '../../api/queries';
import { useNow, Time } from '../../components/time';
import { Tile } from './tile';

const WEEK = 7 * 86_400_000;

export function PrivacyTile() {
  const requests = useQuery(openSubjectRequestsQuery);
  const breaches = useQuery(breachesQuery);
  const now = useNow();
  const due = (requests.data ?? []).filter((r) => Date.parse(r.effectiveDeadline) <= now + WEEK);
  const clocks = (breaches.data ?? []).filter(isBreachClockOpen).sort((a, b) => a.notifyDeadline.localeCompare(b.notifyDeadline));
  return (
    <Tile
      id="privacy"
      title="Privacy deadlines"
      error={requests.error ?? breaches.error}
      loading={requests.isPending || breaches.isPending}
      link={<Link to="/privacy">Privacy</Link>}
    >
      <div className="counts">
        <Link to="/privacy" search={{ tab: 'requests' }} className={`count ${due.length ? 'warning' : ''}`}>
          <span className="n">{due.length}</span>
          <span>requests due ≤ 7 d</span>
        </Link>
        <Link to="/privacy" search={{ tab: 'breaches' }} className={`count ${clocks.length ? 'critical' : ''}`}>
          <span className="n">{clocks.length}</span>
          <span>breach clocks</span>
        </Link>
      </div>
      <ul className="tile-list">
        {clocks.slice(0, 3).map((b) => {
          const hours = (Date.parse(b.notifyDeadline) - now) / 3_600_000;
          return (
            <li key={b.id}>
              <span className={`badge ${hours < 24 ? 'critical' : 'warning'}`}>{hours < 0 ? `${Math.round(-hours)} h overdue` : `${Math.floor(hours)} h left`}</span>
              <Link className="grow" to="/privacy" search={{ tab: 'breaches', breach: b.id }} title={b.title}>
                {b.title}
              </Link>
            </li>
          );
        })}
        {due.slice(0, 4).map((r) => (
          <li key={r.id}>
            <span className="badge">{r.kind}</span>
            <Link className="grow" to="/privacy" search={{ tab: 'requests', request: r.id }} title={r.subjectRef}>
              {r.subjectRef}
            </Link>
            <span className="side">
              due <Time at={r.effectiveDeadline} />
            </span>
          </li>
        ))}
      </ul>
      {!due.length && !clocks.length ? <p className="muted">No subject request is due within 7 days and no breach clock is running.</p> : null}
    </Tile>
  );
}
