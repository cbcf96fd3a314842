import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { objectivesQuery, policiesQuery, type Policy } from '../../api/queries';
import { EmptyState } from '../../components/empty-state';
import { formatDuration, Time } from '../../components/time';
import { Tile } from './tile';

function PolicyRow({ policy }: { policy: Policy }) {
  const { data, error } = useQuery(objectivesQuery(policy.id));
  const age = data?.lastVerifiedSnapshotAt ? (Date.now() - Date.parse(data.lastVerifiedSnapshotAt)) / 1000 : undefined;
  const within = age !== undefined && age <= policy.rpoTargetSeconds;
  return (
    <li>
      <div className="grow">
        <Link to="/recovery" search={{ policy: policy.id }} title={`${policy.name} (${policy.database})`}>
          {policy.name}
        </Link>
        <div className="sub">
          {error ? (
            'objectives unavailable'
          ) : !data ? (
            <span aria-busy="true">…</span>
          ) : (
            <>
              {data.lastVerifiedSnapshotAt ? (
                <>
                  restore verified <Time at={data.lastVerifiedSnapshotAt} />
                </>
              ) : (
                'no verified restore yet'
              )}{' '}
              · RPO {formatDuration(policy.rpoTargetSeconds)}
            </>
          )}
        </div>
      </div>
      {data ? <span className={`badge ${within && !data.rpo.breached ? 'ok' : 'critical'}`}>{within && !data.rpo.breached ? 'ready' : 'at risk'}</span> : null}
    </li>
  );
}

export function RecoveryTile() {
  const { data, error, isPending } = useQuery(policiesQuery);
  return (
    <Tile id="recovery" title="DR readiness" error={error} loading={isPending} link={<Link to="/recovery">All policies</Link>}>
      {data?.length ? (
        <ul className="tile-list">
          {data.map((p) => (
            <PolicyRow key={p.id} policy={p} />
          ))}
        </ul>
      ) : (
        <EmptyState title="No backup policy yet.">
          Create one with dr-orchestrator (<span className="mono">POST /api/dr/v1/policies</span>): it backs up and verifies a restore on a schedule;{' '}
          <span className="mono">npm start</span> adds a daily one for Vigil's own database.
        </EmptyState>
      )}
    </Tile>
  );
}
