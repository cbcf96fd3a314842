// Monitored databases (PgHero's database list): each with its health score and 7-day trend; add one with
// a connection string that is typed once and never shown again; remove one.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { EmptyState } from '../../components/empty-state';
import { Loading } from '../../components/loading';
import { FormProblem, ProblemMessage, fieldError } from '../../components/problem';
import { Sparkline } from '../../components/sparkline';
import { Time } from '../../components/time';
import { AreaTabs } from './area-tabs';
import { scoreLevel } from './format';
import { registerTarget, removeTarget, scoresQuery, targetsQuery, type Target } from './queries';
import { StatusBadge } from './status-badge';
import './database.css';
import { useCan } from '../../app/session';

const WEEK = 7 * 86_400_000;

function TargetRow({ t, onRemove }: { t: Target; onRemove: (t: Target) => void }) {
  const canWrite = useCan('write');
  const { data, error } = useQuery(scoresQuery(t.id));
  const now = Date.now();
  const since = now - WEEK;
  const week = (data ?? []).filter((s) => Date.parse(s.scoredAt) >= since).map((s) => ({ t: Date.parse(s.scoredAt), v: s.score })).reverse();
  const latest = data?.[0];
  const failing = latest?.checks?.filter((c) => c.outcome === 'failed') ?? latest?.components ?? [];
  return (
    <tr>
      <td>
        <Link to="/database/$targetId" params={{ targetId: t.id }} className="db-name">
          {t.name}
        </Link>
        <div className="muted small">every {t.intervalSeconds} s{t.serverVersion ? ` · PostgreSQL ${Math.floor(t.serverVersion / 10000)}` : ''}</div>
      </td>
      <td>
        <span className={`score ${scoreLevel(latest?.score)}`} role="img" aria-label={latest ? `health score ${latest.score} of 100` : 'no health score yet'}>
          {latest ? latest.score : '–'}
        </span>
      </td>
      <td>{error ? <span className="muted">no scores</span> : <Sparkline points={week} from={since} to={now} label={`${t.name}: health over 7 days, ${week.length} scores`} />}</td>
      <td>
        {failing.length ? (
          <ul className="plain warnings">
            {failing.slice(0, 3).map((c) => (
              <li key={c.name}>
                <span className="badge warning">{'title' in c ? c.title : c.name}</span>
              </li>
            ))}
          </ul>
        ) : latest ? (
          <span className="muted">all checks pass</span>
        ) : (
          <span className="muted">–</span>
        )}
      </td>
      <td>
        <StatusBadge status={t.status} />
        {t.statusDetail ? <div className="muted small wrap-anywhere">{t.statusDetail}</div> : null}
      </td>
      <td>
        <Time at={t.lastSuccessAt} />
      </td>
      <td className="row-actions">
        {canWrite ? (
          <button type="button" className="ghost" onClick={() => onRemove(t)} aria-label={`Remove ${t.name}`}>
            Remove
          </button>
        ) : null}
      </td>
    </tr>
  );
}

function AddTarget({ onDone }: { onDone: () => void }) {
  const client = useQueryClient();
  const [name, setName] = useState('');
  const [conn, setConn] = useState('');
  const [interval, setInterval] = useState('60');
  const [diskGb, setDiskGb] = useState('');
  const add = useMutation({
    mutationFn: () =>
      registerTarget({
        name: name.trim(),
        connectionString: conn,
        intervalSeconds: Number(interval) || undefined,
        ...(diskGb ? { diskLimitBytes: Math.round(Number(diskGb) * 1024 ** 3) } : {}),
      }),
    onSuccess: async () => {
      // The connection string leaves the page with the request: nothing keeps or shows it again.
      setConn('');
      setName('');
      setDiskGb('');
      await client.invalidateQueries({ queryKey: ['perf', 'databases'] });
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate();
  };
  const connError = fieldError(add.error, 'connectionString');
  return (
    <form className="panel add-target" onSubmit={submit} aria-labelledby="add-target-title">
      <h2 id="add-target-title">Add a database</h2>
      <div className="form-row">
        <div className="field">
          <label htmlFor="target-name">Name</label>
          <input id="target-name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} placeholder="orders-primary" />
        </div>
        <div className="field grow">
          <label htmlFor="target-dsn">Connection string</label>
          <input
            id="target-dsn"
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={conn}
            onChange={(e) => setConn(e.target.value)}
            required
            minLength={10}
            placeholder="postgres://vigil_monitor:…@host:5432/db"
            aria-describedby="target-dsn-hint"
            aria-invalid={connError ? true : undefined}
          />
          <span id="target-dsn-hint" className="hint">
            Write-only: sealed at rest, never shown again. Use a role with pg_monitor.
          </span>
          {connError ? <span className="field-error">{connError}</span> : null}
        </div>
        <div className="field narrow">
          <label htmlFor="target-interval">Interval (s)</label>
          <input id="target-interval" type="number" min={5} max={86400} value={interval} onChange={(e) => setInterval(e.target.value)} />
        </div>
        <div className="field narrow">
          <label htmlFor="target-disk">Disk limit (GB)</label>
          <input id="target-disk" type="number" min={0} step="any" value={diskGb} onChange={(e) => setDiskGb(e.target.value)} placeholder="optional" />
        </div>
        <button type="submit" className="primary" disabled={add.isPending}>
          {add.isPending ? 'Adding…' : 'Add database'}
        </button>
      </div>
      <FormProblem error={add.error} fields={['connectionString']} />
    </form>
  );
}

export function DatabasesPage() {
  const canWrite = useCan('write');
  const client = useQueryClient();
  const { data, error, isPending } = useQuery(targetsQuery);
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<Target | undefined>();
  const remove = useMutation({
    mutationFn: (t: Target) => removeTarget(t.id),
    onSuccess: async () => {
      setRemoving(undefined);
      await client.invalidateQueries({ queryKey: ['perf', 'databases'] });
    },
  });
  return (
    <>
      <div className="page-head">
        <h1>Database</h1>
        {canWrite ? (
          <button type="button" className={adding ? '' : 'primary'} onClick={() => setAdding(!adding)} aria-expanded={adding}>
            {adding ? 'Close' : 'Add database'}
          </button>
        ) : null}
      </div>
      <AreaTabs current="databases" />
      {adding ? <AddTarget onDone={() => setAdding(false)} /> : null}
      <ProblemMessage error={error} title="Could not load databases" />
      {isPending ? <Loading /> : null}
      {data && !data.length ? (
        <EmptyState title="No database is monitored yet.">Add one: Vigil collects its statistics, scores its health and suggests indexes.</EmptyState>
      ) : null}
      {data?.length ? (
        <div className="panel table-wrap flush">
          <table className="targets">
            <caption className="visually-hidden">Monitored databases</caption>
            <thead>
              <tr>
                <th scope="col">Database</th>
                <th scope="col">Score</th>
                <th scope="col">7 days</th>
                <th scope="col">Warnings</th>
                <th scope="col">Status</th>
                <th scope="col">Last collected</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.map((t) => (
                <TargetRow key={t.id} t={t} onRemove={setRemoving} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <ConfirmDialog
        open={!!removing}
        title={`Remove ${removing?.name ?? ''}?`}
        confirmLabel="Remove database"
        busy={remove.isPending}
        onConfirm={() => removing && remove.mutate(removing)}
        onCancel={() => setRemoving(undefined)}
      >
        <p>Vigil stops collecting it and deletes its sealed connection string, its collected metrics and statements, its advice and optimization history. Its health scores stay, for reports.</p>
        <ProblemMessage error={remove.error} title="Not removed" />
      </ConfirmDialog>
    </>
  );
}
