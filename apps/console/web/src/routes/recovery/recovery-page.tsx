// Backup policies: each with its last backup, its last verified restore and its objectives against target.
// `?policy=<id>` opens one policy (the overview's DR tile links there).
import { useQuery } from '@tanstack/react-query';
import { Link, useSearch } from '@tanstack/react-router';
import { EmptyState } from '../../components/empty-state';
import { Loading } from '../../components/loading';
import { ProblemMessage } from '../../components/problem';
import { formatDuration, Time } from '../../components/time';
import { OutcomeBadge } from './checks';
import { formatBytes, formatSeconds } from './format';
import { PolicyDetail } from './policy-detail';
import { backupsQuery, objectivesQuery, policiesQuery, type Policy } from './queries';
import { RecoveryTabs } from './recovery-tabs';
import './recovery.css';

function ObjectiveCell({ actual, target, breached }: { actual: number | null | undefined; target: number; breached: boolean | undefined }) {
  if (actual === undefined) return <span className="muted">…</span>;
  return (
    <span className="objective-cell">
      <span className={`badge ${actual === null ? '' : breached ? 'critical' : 'ok'}`}>{actual === null ? 'unmeasured' : breached ? 'breached' : 'met'}</span>{' '}
      {actual === null ? '' : formatSeconds(actual)} <span className="muted">/ {formatDuration(target)}</span>
    </span>
  );
}

function PolicyRow({ policy }: { policy: Policy }) {
  const { data: o } = useQuery(objectivesQuery(policy.id));
  const { data: backups } = useQuery(backupsQuery(policy.id));
  const last = backups?.find((b) => b.status !== 'running') ?? backups?.[0];
  return (
    <tr>
      <th scope="row" className="wrap-anywhere">
        <Link to="/recovery" search={{ policy: policy.id }} className="policy-link">
          {policy.name}
        </Link>
        <span className="muted sub-line">
          <span className="badge info">{policy.kind}</span> {policy.database}
          {policy.enabled ? null : <span className="badge warning">disabled</span>}
        </span>
      </th>
      <td>
        {last ? (
          <>
            <OutcomeBadge outcome={last.status} /> <Time at={last.finishedAt ?? last.startedAt} />
            <span className="muted sub-line">{formatBytes(last.sizeBytes)}</span>
          </>
        ) : (
          <span className="muted">never</span>
        )}
      </td>
      <td>
        <Time at={o?.lastVerifiedSnapshotAt} />
      </td>
      <td>
        <ObjectiveCell actual={o ? o.rpo.actualSeconds : undefined} target={policy.rpoTargetSeconds} breached={o?.rpo.breached} />
      </td>
      <td>
        <ObjectiveCell actual={o ? o.rto.actualSeconds : undefined} target={policy.rtoTargetSeconds} breached={o?.rto.breached} />
      </td>
      <td>
        <span className="mono">{policy.schedule}</span>
        <span className="muted sub-line">
          next <Time at={policy.nextBackupAt} />
        </span>
      </td>
    </tr>
  );
}

export function RecoveryPage() {
  const { policy } = useSearch({ from: '/app/recovery' });
  const { data, error, isPending } = useQuery(policiesQuery);
  const selected = data?.find((p) => p.id === policy);
  if (policy && selected) return <PolicyDetail policy={selected} />;
  return (
    <>
      <header className="page-head">
        <div>
          <h1>Recovery</h1>
          <p className="muted sub">Backups count once a restore has proven them. RPO is the age of the newest verified snapshot; RTO the measured restore time.</p>
        </div>
      </header>
      <RecoveryTabs current="policies" />
      <ProblemMessage error={error} title="Could not load policies" />
      {policy && data && !selected ? <ProblemMessage error={new Error(`No backup policy ${policy} in this tenant.`)} title="Not found" /> : null}
      {isPending ? <Loading /> : null}
      {data && !data.length ? <EmptyState title="No backup policy yet.">Create one with dr-orchestrator (POST /api/dr/v1/policies).</EmptyState> : null}
      {data?.length ? (
        <div className="panel table-wrap flush">
          <table className="policies">
            <caption className="visually-hidden">Backup policies</caption>
            <thead>
              <tr>
                <th scope="col">Policy</th>
                <th scope="col">Last backup</th>
                <th scope="col">Last verified snapshot</th>
                <th scope="col">RPO / target</th>
                <th scope="col">RTO / target</th>
                <th scope="col">Schedule</th>
              </tr>
            </thead>
            <tbody>
              {data.map((p) => (
                <PolicyRow key={p.id} policy={p} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
