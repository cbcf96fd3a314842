// One monitored database, PgHero-style: the score and the checks behind it, statements, index advice
// with the optimization history, and capacity. The tab and the selected statement are in the URL.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams, useSearch } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { Loading } from '../../components/loading';
import { ProblemMessage } from '../../components/problem';
import { Time } from '../../components/time';
import { AdvicePanel } from './advice-panel';
import { CapacityPanel } from './capacity-panel';
import { scoreLevel } from './format';
import { HealthPanel } from './health-panel';
import { changeTarget, collectNow, scoresQuery, targetQuery } from './queries';
import type { TargetTab } from './routes';
import { StatementsPanel } from './statements-panel';
import { StatusBadge } from './status-badge';
import './database.css';
import { useCan } from '../../app/session';

const TABS: { tab: TargetTab; label: string }[] = [
  { tab: 'health', label: 'Health' },
  { tab: 'queries', label: 'Queries' },
  { tab: 'indexes', label: 'Indexes' },
  { tab: 'capacity', label: 'Capacity' },
];

function ReplaceConnection({ id }: { id: string }) {
  const canWrite = useCan('write');
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [conn, setConn] = useState('');
  const save = useMutation({
    mutationFn: () => changeTarget(id, { connectionString: conn }),
    onSuccess: async () => {
      setConn('');
      setOpen(false);
      await client.invalidateQueries({ queryKey: ['perf', 'databases'] });
    },
  });
  if (!canWrite) return null;
  if (!open)
    return (
      <button type="button" className="ghost" onClick={() => setOpen(true)}>
        Replace connection string
      </button>
    );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form className="inline-form" onSubmit={submit}>
      <label htmlFor="replace-dsn" className="visually-hidden">
        New connection string
      </label>
      <input id="replace-dsn" type="password" autoComplete="off" value={conn} onChange={(e) => setConn(e.target.value)} required minLength={10} placeholder="postgres://…" />
      <button type="submit" className="primary" disabled={save.isPending}>
        Save
      </button>
      <button type="button" onClick={() => setOpen(false)}>
        Cancel
      </button>
      <ProblemMessage error={save.error} title="Not saved" />
    </form>
  );
}

export function TargetPage() {
  const canWrite = useCan('write');
  const { targetId } = useParams({ from: '/app/database/$targetId' });
  const { tab = 'health' } = useSearch({ from: '/app/database/$targetId' });
  const client = useQueryClient();
  const target = useQuery(targetQuery(targetId));
  const scores = useQuery(scoresQuery(targetId));
  const collect = useMutation({
    mutationFn: () => collectNow(targetId),
    onSettled: () => client.invalidateQueries({ queryKey: ['perf'] }),
  });
  if (target.error)
    return (
      <>
        <p className="crumbs">
          <Link to="/database">Databases</Link>
        </p>
        <h1>Database not found</h1>
        <ProblemMessage error={target.error} title="Could not load this database" />
      </>
    );
  if (!target.data) return <Loading />;
  const t = target.data;
  const latest = scores.data?.[0];
  const outcome = collect.data;
  return (
    <>
      <p className="crumbs">
        <Link to="/database">Databases</Link> <span aria-hidden="true">/</span> {t.name}
      </p>
      <div className="target-head panel">
        <div className={`score big ${scoreLevel(latest?.score)}`} role="img" aria-label={latest ? `health score ${latest.score} of 100` : 'no health score yet'}>
          {latest?.score ?? '–'}
        </div>
        <div className="grow">
          <h1>{t.name}</h1>
          <p className="muted meta">
            <StatusBadge status={t.status} /> {t.serverVersion ? `PostgreSQL ${Math.floor(t.serverVersion / 10000)} · ` : ''}every {t.intervalSeconds} s · last collected <Time at={t.lastSuccessAt} />
            {latest ? (
              <>
                {' '}
                · scored <Time at={latest.scoredAt} />
              </>
            ) : null}
          </p>
          {t.statusDetail ? <p className="notice">{t.statusDetail}</p> : null}
          <p className="muted small">
            Connection string: sealed at rest, write-only. <ReplaceConnection id={t.id} />
          </p>
        </div>
        <div className="head-actions">
          {canWrite ? (
            <button type="button" className="primary" onClick={() => collect.mutate()} disabled={collect.isPending}>
              {collect.isPending ? 'Collecting…' : 'Collect now'}
            </button>
          ) : null}
          <span role="status" className="muted small">
            {outcome ? `Collected in ${outcome.durationMs} ms: ${outcome.status}` : ''}
          </span>
        </div>
      </div>
      <ProblemMessage error={collect.error} title="Collection failed" />
      <div className="tabs" role="tablist" aria-label={`${t.name} sections`}>
        {TABS.map((x) => (
          <Link key={x.tab} to="/database/$targetId" params={{ targetId }} search={{ tab: x.tab }} role="tab" aria-selected={x.tab === tab}>
            {x.label}
          </Link>
        ))}
      </div>
      <div role="tabpanel" aria-label={TABS.find((x) => x.tab === tab)?.label}>
        {tab === 'health' ? <HealthPanel id={targetId} /> : null}
        {tab === 'queries' ? <StatementsPanel id={targetId} /> : null}
        {tab === 'indexes' ? <AdvicePanel id={targetId} /> : null}
        {tab === 'capacity' ? <CapacityPanel id={targetId} /> : null}
      </div>
    </>
  );
}
