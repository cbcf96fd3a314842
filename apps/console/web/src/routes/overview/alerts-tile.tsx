import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { firingSummaryQuery } from '../../api/queries';
import { EmptyState } from '../../components/empty-state';
import { Time } from '../../components/time';
import { useCan } from '../../app/session';
import { Tile } from './tile';

const ORDER = ['critical', 'warning', 'info'];

export function AlertsTile() {
  const isAdmin = useCan('admin');
  // Counted on the server (every firing alert); `latest` is the most severe first, then the newest.
  const { data, error, isPending } = useQuery(firingSummaryQuery);
  const bySeverity = new Map(Object.entries(data?.bySeverity ?? {}));
  const severities = [...ORDER, ...[...bySeverity.keys()].filter((s) => !ORDER.includes(s)).sort()];
  const latest = data?.latest ?? [];
  return (
    <Tile
      id="alerts"
      title="Firing alerts"
      error={error}
      loading={isPending}
      link={
        <Link to="/alerts" search={{ state: 'firing' }}>
          All alerts
        </Link>
      }
    >
      <div className="counts">
        {severities.map((s) => (
          <Link key={s} to="/alerts" search={{ state: 'firing', severity: s }} className={`count ${s}`}>
            <span className="n">
              {bySeverity.get(s) ?? 0}
              {data?.truncated && bySeverity.get(s) ? '+' : ''}
            </span>
            <span>{s}</span>
          </Link>
        ))}
      </div>
      {data?.total ? (
        <ul className="tile-list">
          {latest.map((a) => (
            <li key={a.id}>
              <span className={`badge ${a.severity}`}>{a.severity}</span>
              <Link className="grow" to="/alerts" search={{ state: 'firing', alert: a.id }} title={a.labels.alertname ?? a.fingerprint}>
                {a.annotations.summary ?? a.labels.alertname ?? a.fingerprint}
              </Link>
              <span className="side">
                <Time at={a.startsAt} />
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <EmptyState title="Nothing is firing.">
          Alerts fire from rules on health scores, error spikes and DR objectives.{' '}
          {isAdmin ? (
            <>
              <Link to="/settings" search={{ tab: 'receivers' }}>
                Add a receiver
              </Link>{' '}
              to send them to Slack, PagerDuty or a webhook.
            </>
          ) : (
            'An admin chooses where they are sent: Slack, PagerDuty or a webhook.'
          )}
        </EmptyState>
      )}
    </Tile>
  );
}
