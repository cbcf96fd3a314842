// "Back up now" and "Run drill now": start the operation, follow it live from dr.progress (the console's stream
// puts each OperationProgressed event in the cache under drProgressKey), and end with the verification's checks.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { dr, unwrap } from '../../api/services';
import { useCan } from '../../app/session';
import { useLiveState } from '../../app/live-state';
import { ProblemMessage } from '../../components/problem';
import { formatAbsolute } from '../../components/time';
import { useTimezone } from '../../app/preferences';
import { drProgressKey } from '../../live/stream';
import { CheckTable, OutcomeBadge, checkCounts } from './checks';
import { formatSeconds } from './format';
import { backupsQuery, verificationsQuery, type Policy } from './queries';
import { eventsOfRun, type ProgressEvent, type Run } from './run-events';

export type { Run } from './run-events';

function Step({ label, event, done, id }: { label: string; event: ProgressEvent | undefined; done: boolean; id: string }) {
  const pct = done ? 100 : (event?.percent ?? 0);
  return (
    <div className={`step ${done ? 'done' : event ? 'active' : 'waiting'}`}>
      <div className="step-head">
        <span id={id} className="step-label">
          {label}
        </span>
        <span className="muted">{done ? 'done' : event ? `${event.phase} · ${Math.round(pct)}%` : 'waiting'}</span>
      </div>
      <div className="bar" role="progressbar" aria-labelledby={id} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(pct)}>
        <span style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}

export function RunProgress({ policy, run, onClose }: { policy: Policy; run: Run; onClose: () => void }) {
  const zone = useTimezone();
  const live = useLiveState();
  const { data: all = [] } = useQuery<ProgressEvent[]>({ queryKey: drProgressKey(policy.id), queryFn: () => [], enabled: false });
  const events = eventsOfRun(all, run);
  // The newest event stays in view as the log grows.
  const log = useRef<HTMLOListElement>(null);
  useEffect(() => {
    if (log.current) log.current.scrollTop = log.current.scrollHeight;
  }, [events.length]);
  // The final states come from the API (the stream's *Finished events invalidate these; the interval covers a paused stream).
  const { data: verifications } = useQuery({ ...verificationsQuery(policy.id), refetchInterval: 2_000 });
  const { data: backups } = useQuery({ ...backupsQuery(policy.id), refetchInterval: run.kind === 'backup' ? 2_000 : false });
  const backup = backups?.find((b) => b.id === run.backupId);
  const verification = verifications?.find((v) => (run.kind === 'drill' ? v.id === run.id : v.backupId === run.backupId && v.kind === 'verification'));
  const backupFailed = run.kind === 'backup' && backup?.status === 'failed';
  const finished = backupFailed || (verification !== undefined && verification.status !== 'running');
  const backupEvent = events.filter((e) => e.kind === 'backup').at(-1);
  const restoreEvent = events.filter((e) => e.kind !== 'backup').at(-1);
  const backupDone = run.kind === 'backup' && (backup?.status === 'completed' || restoreEvent !== undefined);
  // The run's end changes the policy's objectives, history and lists: re-read them now rather than on the stream's
  // VerificationFinished (which may come a moment later, or not at all while paused).
  const client = useQueryClient();
  useEffect(() => {
    if (finished) void client.invalidateQueries({ queryKey: ['dr'] });
  }, [finished, client]);
  return (
    <section className="panel run" aria-labelledby="run-title" data-testid="operation-run" data-state={finished ? 'finished' : 'running'}>
      <header className="run-head">
        <h2 id="run-title">{run.kind === 'backup' ? 'Backup' : 'DR drill'} {finished ? 'finished' : 'in progress'}</h2>
        {finished ? (
          <button type="button" onClick={onClose}>
            Close
          </button>
        ) : null}
      </header>
      {live.status !== 'open' ? <p className="notice">The live stream is {live.status}: progress appears when it reconnects; the result still arrives.</p> : null}
      <div className="steps">
        {run.kind === 'backup' ? <Step id="step-backup" label="Back up (pg_dump, checksums, seal)" event={backupEvent} done={backupDone} /> : null}
        <Step id="step-restore" label={run.kind === 'backup' ? 'Verify by restoring into a scratch database' : 'Restore the latest backup and check it'} event={restoreEvent} done={finished && !backupFailed} />
      </div>
      <h3 className="log-title">Live progress</h3>
      <ol ref={log} className="progress-log" aria-live="polite" aria-label="Live progress events" tabIndex={0} data-testid="progress-log">
        {events.length ? null : <li className="muted">Waiting for the first progress event…</li>}
        {events.map((e, i) => (
          <li key={`${e.operationId}-${i}`} data-kind={e.kind}>
            <time className="mono muted" dateTime={e.at}>
              {formatAbsolute(new Date(e.at), zone).replace(/^.*?(\d{2}:\d{2}:\d{2}).*$/, '$1')}
            </time>
            <span className="kind">{e.kind}</span>
            <span>{e.phase}</span>
            <span className="mono">{Math.round(e.percent)}%</span>
          </li>
        ))}
      </ol>
      {backupFailed ? <div className="problem" role="alert"><strong>Backup failed:</strong> {backup?.error}</div> : null}
      {finished && verification ? (
        <div className="run-result" data-testid="run-result">
          <h3>
            Verification <OutcomeBadge outcome={verification.status} />{' '}
            <span className="muted">
              RTO {formatSeconds(verification.rtoSeconds)} · {checkCounts(verification.checks)}
            </span>
          </h3>
          {verification.error ? <p className="problem">{verification.error}</p> : null}
          <CheckTable checks={verification.checks} caption="Checks of this run's verification restore" />
        </div>
      ) : null}
    </section>
  );
}

/** The two buttons; the run they start is shown by <RunProgress> where the page puts it. */
export function OperationButtons({ policy, onStarted }: { policy: Policy; onStarted: (run: Run) => void }) {
  const canRun = useCan('write');
  const client = useQueryClient();
  const start = useMutation({
    mutationFn: async (kind: Run['kind']): Promise<Run> => {
      if (kind === 'backup') {
        const r = await unwrap(dr.POST('/v1/policies/{policyId}/backups', { params: { path: { policyId: policy.id }, query: {} } }));
        return { kind, id: r.id, backupId: r.id };
      }
      const r = await unwrap(dr.POST('/v1/policies/{policyId}/drills', { params: { path: { policyId: policy.id }, query: {} } }));
      return { kind, id: r.id, backupId: r.backupId ?? '' };
    },
    onSuccess: (r) => {
      onStarted(r);
      void client.invalidateQueries({ queryKey: ['dr', 'backups', policy.id] });
    },
  });
  const why = canRun ? undefined : 'Needs the write role';
  return (
    <div className="policy-actions">
      <div className="actions">
        <button type="button" className="primary" disabled={!canRun || start.isPending} onClick={() => start.mutate('backup')} title={why}>
          Back up now
        </button>
        <button type="button" disabled={!canRun || start.isPending} onClick={() => start.mutate('drill')} title={why}>
          Run drill now
        </button>
      </div>
      <ProblemMessage error={start.error} title={start.variables === 'drill' ? 'Could not start the drill' : 'Could not start the backup'} />
    </div>
  );
}
