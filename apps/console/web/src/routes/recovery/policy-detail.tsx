// One backup policy: what protects it now (last backup, last verified restore with every check, RPO/RTO against
// target), how that went over time (chart, drills, backups), and the two buttons that prove it again.
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { Loading } from '../../components/loading';
import { ProblemMessage } from '../../components/problem';
import { formatDuration, Time } from '../../components/time';
import { CheckTable, OutcomeBadge, checkCounts } from './checks';
import { formatBytes, formatSeconds } from './format';
import { ObjectiveCharts } from './objective-charts';
import { OperationButtons, RunProgress, type Run } from './operation-panel';
import { backupsQuery, objectivesQuery, verificationsQuery, type Policy } from './queries';

function Objective({ label, actual, target, breached, testId }: { label: string; actual: number | null; target: number; breached: boolean; testId: string }) {
  const state = actual === null ? 'unknown' : breached ? 'breached' : 'met';
  return (
    <div className={`stat ${state}`} data-testid={testId}>
      <span className="stat-label">{label}</span>
      <span className="stat-value">{actual === null ? '—' : formatSeconds(actual)}</span>
      <span className="stat-sub">
        target {formatDuration(target)} <span className={`badge ${state === 'met' ? 'ok' : state === 'breached' ? 'critical' : ''}`}>{state}</span>
      </span>
    </div>
  );
}

function Summary({ policy }: { policy: Policy }) {
  const objectives = useQuery(objectivesQuery(policy.id));
  const backups = useQuery(backupsQuery(policy.id));
  const last = backups.data?.find((b) => b.status !== 'running') ?? backups.data?.[0];
  const o = objectives.data;
  return (
    <div className="stats">
      <div className="stat" data-testid="last-backup">
        <span className="stat-label">Last backup</span>
        <span className="stat-value">{last ? <Time at={last.finishedAt ?? last.startedAt} /> : 'never'}</span>
        <span className="stat-sub">
          {last ? (
            <>
              <OutcomeBadge outcome={last.status} /> {formatBytes(last.sizeBytes)} · {last.durationMs === null ? '—' : formatSeconds(last.durationMs / 1000)}
            </>
          ) : (
            'no backup yet'
          )}
        </span>
      </div>
      <div className="stat" data-testid="last-verified">
        <span className="stat-label">Last verified snapshot</span>
        <span className="stat-value">
          <Time at={o?.lastVerifiedSnapshotAt} />
        </span>
        <span className="stat-sub">proven by a restore</span>
      </div>
      {o ? (
        <>
          <Objective label="RPO now" actual={o.rpo.actualSeconds} target={o.rpo.targetSeconds} breached={o.rpo.breached} testId="rpo-now" />
          <Objective label="RTO (last restore)" actual={o.rto.actualSeconds} target={o.rto.targetSeconds} breached={o.rto.breached} testId="rto-now" />
        </>
      ) : (
        <Loading what="Loading objectives…" />
      )}
      <ProblemMessage error={objectives.error ?? backups.error} title="Could not load this policy's state" />
    </div>
  );
}

function LastVerification({ policy }: { policy: Policy }) {
  const { data, error, isPending } = useQuery(verificationsQuery(policy.id));
  const last = data?.find((v) => v.kind === 'verification' && v.status !== 'running');
  return (
    <section className="panel" aria-labelledby="last-restore">
      <header className="panel-head">
        <h2 id="last-restore">Last verification restore</h2>
        {last ? (
          <span className="muted">
            <OutcomeBadge outcome={last.status} /> <Time at={last.finishedAt} /> · RTO {formatSeconds(last.rtoSeconds)} · {checkCounts(last.checks)}
          </span>
        ) : null}
      </header>
      <ProblemMessage error={error} title="Could not load verifications" />
      {isPending ? <Loading /> : last ? <CheckTable checks={last.checks} caption="Checks of the last verification restore" /> : <p className="muted">No backup has been restored and checked yet.</p>}
    </section>
  );
}

function Drills({ policy }: { policy: Policy }) {
  const { data, error, isPending } = useQuery(verificationsQuery(policy.id));
  const drills = data?.filter((v) => v.kind === 'drill') ?? [];
  return (
    <section className="panel" aria-labelledby="drill-history">
      <header className="panel-head">
        <h2 id="drill-history">Drill history</h2>
        <span className="muted">{policy.drillSchedule ? <>scheduled <span className="mono">{policy.drillSchedule}</span></> : 'no drill schedule'}</span>
      </header>
      <ProblemMessage error={error} title="Could not load drills" />
      {isPending ? (
        <Loading />
      ) : drills.length ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">DR drills of {policy.name}</caption>
            <thead>
              <tr>
                <th scope="col">Finished</th>
                <th scope="col">Result</th>
                <th scope="col">RTO</th>
                <th scope="col">Checks</th>
                <th scope="col">Trigger</th>
              </tr>
            </thead>
            <tbody>
              {drills.map((d) => (
                <tr key={d.id}>
                  <td>
                    <Time at={d.finishedAt ?? d.startedAt} />
                  </td>
                  <td>
                    <OutcomeBadge outcome={d.status} />
                  </td>
                  <td className={d.rtoSeconds !== null && d.rtoSeconds > policy.rtoTargetSeconds ? 'over' : undefined}>{formatSeconds(d.rtoSeconds)}</td>
                  <td>{checkCounts(d.checks) || '—'}</td>
                  <td>{d.trigger}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted">No drill yet. “Run drill now” restores the latest backup and checks it, as a disaster would require.</p>
      )}
    </section>
  );
}

function Backups({ policy }: { policy: Policy }) {
  const { data, error, isPending } = useQuery(backupsQuery(policy.id));
  return (
    <section className="panel" aria-labelledby="backup-history">
      <h2 id="backup-history">Backups</h2>
      <ProblemMessage error={error} title="Could not load backups" />
      {isPending ? (
        <Loading />
      ) : data?.length ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Backups of {policy.name}</caption>
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Status</th>
                <th scope="col">Verified</th>
                <th scope="col">Size</th>
                <th scope="col">Duration</th>
                <th scope="col">Tables / rows</th>
                <th scope="col">Trigger</th>
              </tr>
            </thead>
            <tbody>
              {data.slice(0, 20).map((b) => (
                <tr key={b.id}>
                  <td>
                    <Time at={b.startedAt} />
                  </td>
                  <td>
                    <OutcomeBadge outcome={b.status} />
                    {b.backupType ? <span className="muted"> {b.backupType}</span> : null}
                  </td>
                  <td>
                    <OutcomeBadge outcome={b.verificationStatus} />
                  </td>
                  <td>{formatBytes(b.sizeBytes)}</td>
                  <td>{b.durationMs === null ? '—' : formatSeconds(b.durationMs / 1000)}</td>
                  <td>{b.tables === null ? '—' : `${b.tables} / ${(b.rows ?? 0).toLocaleString()}`}</td>
                  <td>{b.trigger}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted">No backup yet.</p>
      )}
    </section>
  );
}

export function PolicyDetail({ policy }: { policy: Policy }) {
  const [run, setRun] = useState<Run>();
  return (
    <>
      <p className="crumbs">
        <Link to="/recovery">Recovery</Link> <span aria-hidden="true">/</span> {policy.name}
      </p>
      <header className="page-head">
        <div>
          <h1>{policy.name}</h1>
          <p className="muted sub">
            <span className="badge info">{policy.kind}</span> {policy.database} · <span className="mono">{policy.schedule}</span> · next backup <Time at={policy.nextBackupAt} />
            {policy.enabled ? null : <span className="badge warning">disabled</span>}
          </p>
        </div>
        <OperationButtons policy={policy} onStarted={setRun} />
      </header>
      {run ? <RunProgress key={run.id} policy={policy} run={run} onClose={() => setRun(undefined)} /> : null}
      <Summary policy={policy} />
      <section className="panel" aria-labelledby="objective-history">
        <header className="panel-head">
          <h2 id="objective-history">RPO and RTO against target</h2>
          <span className="muted">every restore of the last 90 days</span>
        </header>
        <ObjectiveCharts policy={policy} />
      </section>
      <LastVerification policy={policy} />
      <Drills policy={policy} />
      <Backups policy={policy} />
    </>
  );
}
