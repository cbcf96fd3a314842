// Backup policies and their recovery objectives (issue 17 adds backups, drills, runbooks).
import { useQuery } from '@tanstack/react-query';
import { Loading } from '../../components/loading';
import { Link, useSearch } from '@tanstack/react-router';
import { objectivesQuery, policiesQuery, type Policy } from '../../api/queries';
import { EmptyState } from '../../components/empty-state';
import { ProblemMessage } from '../../components/problem';
import { formatDuration, Time } from '../../components/time';

function Objectives({ policy }: { policy: Policy }) {
  const { data, error } = useQuery(objectivesQuery(policy.id));
  if (error) return <ProblemMessage error={error} title="Objectives unavailable" />;
  if (!data) return <Loading />;
  return (
    <dl>
      <dt>Last verified restore</dt>
      <dd>
        <Time at={data.lastVerifiedSnapshotAt} />
      </dd>
      <dt>RPO</dt>
      <dd>
        target {formatDuration(data.rpo.targetSeconds)}, actual {data.rpo.actualSeconds === null ? 'unknown' : formatDuration(data.rpo.actualSeconds)}{' '}
        <span className={`badge ${data.rpo.breached ? 'critical' : 'ok'}`}>{data.rpo.breached ? 'breached' : 'met'}</span>
      </dd>
      <dt>RTO</dt>
      <dd>
        target {formatDuration(data.rto.targetSeconds)}, actual {data.rto.actualSeconds === null ? 'unknown' : formatDuration(data.rto.actualSeconds)}{' '}
        <span className={`badge ${data.rto.breached ? 'critical' : 'ok'}`}>{data.rto.breached ? 'breached' : 'met'}</span>
      </dd>
    </dl>
  );
}

export function RecoveryPage() {
  const { policy } = useSearch({ from: '/app/recovery' });
  const { data, error, isPending } = useQuery(policiesQuery);
  const selected = data?.find((p) => p.id === policy);
  return (
    <>
      <h1>Recovery</h1>
      <ProblemMessage error={error} title="Could not load policies" />
      {isPending ? <Loading /> : null}
      {data && !data.length ? <EmptyState title="No backup policy yet.">Create one with dr-orchestrator (POST /api/dr/v1/policies).</EmptyState> : null}
      {data?.length ? (
        <div className="panel table-wrap">
          <table>
            <caption className="visually-hidden">Backup policies</caption>
            <thead>
              <tr>
                <th scope="col">Policy</th>
                <th scope="col">Database</th>
                <th scope="col">Schedule</th>
                <th scope="col">RPO target</th>
                <th scope="col">Next backup</th>
              </tr>
            </thead>
            <tbody>
              {data.map((p) => (
                <tr key={p.id} className={p.id === policy ? 'selected' : undefined} aria-selected={p.id === policy || undefined}>
                  <td className="wrap-anywhere">
                    <Link to="/recovery" search={{ policy: p.id }}>
                      {p.name}
                    </Link>
                    {p.enabled ? null : <span className="badge">disabled</span>}
                  </td>
                  <td className="wrap-anywhere">{p.database}</td>
                  <td className="mono">{p.schedule}</td>
                  <td>{formatDuration(p.rpoTargetSeconds)}</td>
                  <td>
                    <Time at={p.nextBackupAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {selected ? (
        <section className="panel" aria-labelledby="policy-detail">
          <h2 id="policy-detail">{selected.name}</h2>
          <Objectives policy={selected} />
        </section>
      ) : null}
    </>
  );
}
