import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { objectivesQuery, overviewPoliciesQuery, type Objectives, type Policy } from '../../api/queries';
import { EmptyState } from '../../components/empty-state';
import { formatDuration, Time } from '../../components/time';
import { Tile } from './tile';

/** `objectives` came with the list; a policy whose objectives it lacks reads them itself. */
function PolicyRow({ policy, objectives, readAt }: { policy: Policy; objectives: Objectives | undefined; readAt: number }) {
  const { data, error } = useQuery({ ...objectivesQuery(policy.id), initialData: objectives, initialDataUpdatedAt: readAt });
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
  const { data: batch, error, isPending, dataUpdatedAt } = useQuery(overviewPoliciesQuery);
  const data = batch?.items;
  return (
    <Tile id="recovery" title="DR readiness" error={error} loading={isPending} link={<Link to="/recovery">All policies</Link>}>
      {data?.length ? (
        <ul className="tile-list">
          {data.map((p) => (
            <PolicyRow key={p.id} policy={p} objectives={batch?.objectives[p.id] ?? undefined} readAt={dataUpdatedAt} />
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
