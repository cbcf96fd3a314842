// The breach register (Art. 33(5)): each breach's live 72-hour clock, the Art. 33(3) information as a
// form that names what is still missing (Art. 33(4) allows it in phases), and where notification of the
// authority (Art. 33) and of the subjects (Art. 34) stands.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { gdpr, unwrap } from '../../api/services';
import { useCan } from '../../app/session';
import { EmptyState } from '../../components/empty-state';
import { Loading } from '../../components/loading';
import { FormProblem, ProblemMessage } from '../../components/problem';
import { Time } from '../../components/time';
import { breachClock } from './deadline';
import { Art33Form } from './breach-art33-form';
import { breachesQuery, type Breach } from './queries';

const RISK: Record<Breach['risk'], string> = { none: 'Unlikely to result in a risk', risk: 'Risk to rights and freedoms', high: 'High risk' };

const isClockOpen = (b: Breach) => !b.authorityNotifiedAt && !b.notNotifiedReason;

/** The time now, every second, for a countdown that visibly runs. */
function useSecond(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return now;
}

function Countdown({ b }: { b: Breach }) {
  const now = useSecond();
  if (!isClockOpen(b)) {
    return (
      <div className="clock closed" data-testid="breach-clock">
        <span className="clock-label">Authority</span>
        <strong>{b.authorityNotifiedAt ? 'Notified' : 'Not notifiable'}</strong>
        <span className="muted">{b.authorityNotifiedAt ? <Time at={b.authorityNotifiedAt} mode="absolute" /> : b.notNotifiedReason}</span>
      </div>
    );
  }
  const c = breachClock(b.awareAt, b.notifyDeadline, now);
  return (
    <div className={`clock ${c.tone}`} data-testid="breach-clock" role="timer" aria-live="off" aria-label={`72-hour notification clock: ${c.label}`}>
      <span className="clock-label">Notify the authority within 72 hours</span>
      <strong className="clock-value">{c.label}</strong>
      <div className="meter" aria-hidden="true">
        <span className={c.tone} style={{ width: `${Math.round(c.share * 100)}%` }} />
      </div>
      <span className="muted small">
        aware <Time at={b.awareAt} mode="absolute" /> · deadline <Time at={b.notifyDeadline} mode="absolute" />
      </span>
    </div>
  );
}

function Notification({ b, canWrite }: { b: Breach; canWrite: boolean }) {
  const client = useQueryClient();
  const [delay, setDelay] = useState('');
  const decide = useMutation({
    mutationFn: (body: Record<string, unknown>) => unwrap(gdpr.PATCH('/v1/breaches/{breachId}', { params: { path: { breachId: b.id } }, body })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['gdpr', 'breaches'] }),
  });
  const late = Date.now() > Date.parse(b.notifyDeadline);
  return (
    <div className="notify-grid">
      <div className="notify-card" data-testid="authority-status">
        <h3>Supervisory authority (Art. 33)</h3>
        {b.authorityNotifiedAt ? (
          <p>
            <span className="badge ok">Notified</span> <Time at={b.authorityNotifiedAt} mode="absolute" />
            {b.delayReason ? <span className="muted small"> · late: {b.delayReason}</span> : null}
          </p>
        ) : b.notNotifiedReason ? (
          <p>
            <span className="badge">Not notified</span> <span className="muted">{b.notNotifiedReason}</span>
          </p>
        ) : (
          <>
            <p>
              <span className={`badge ${b.notificationOverdue ? 'critical' : 'warning'}`}>{b.notificationOverdue ? 'Overdue' : 'Not notified yet'}</span>
            </p>
            {canWrite ? (
              <div className="form-row">
                {late ? (
                  <div className="field grow">
                    <label htmlFor="b-delay">Reasons for the delay (Art. 33(1))</label>
                    <input id="b-delay" value={delay} onChange={(e) => setDelay(e.target.value)} />
                  </div>
                ) : null}
                <button type="button" onClick={() => decide.mutate({ authorityNotifiedAt: new Date().toISOString(), ...(late && delay.trim() ? { delayReason: delay.trim() } : {}) })} disabled={decide.isPending}>
                  Mark notified now
                </button>
              </div>
            ) : null}
          </>
        )}
      </div>
      <div className="notify-card" data-testid="subjects-status">
        <h3>Data subjects (Art. 34)</h3>
        {b.subjectsDecision === 'notify' ? (
          <p>
            <span className={`badge ${b.subjectsNotifiedAt ? 'ok' : 'warning'}`}>{b.subjectsNotifiedAt ? 'Informed' : 'To be informed'}</span>{' '}
            {b.subjectsNotifiedAt ? <Time at={b.subjectsNotifiedAt} mode="absolute" /> : null}
          </p>
        ) : b.subjectsDecision === 'exempt' ? (
          <p>
            <span className="badge">Exempt</span> <span className="muted">{b.subjectsExemption}</span>
          </p>
        ) : (
          <p>
            <span className={`badge ${b.risk === 'high' ? 'critical' : ''}`}>{b.risk === 'high' ? 'Decision needed: high risk' : 'Not required unless high risk'}</span>
          </p>
        )}
        {canWrite && b.subjectsDecision !== 'notify' && b.risk === 'high' ? (
          <button type="button" onClick={() => decide.mutate({ subjectsDecision: 'notify', subjectsNotifiedAt: new Date().toISOString() })} disabled={decide.isPending}>
            Mark subjects informed now
          </button>
        ) : null}
      </div>
      <ProblemMessage error={decide.error} title="Not saved" />
    </div>
  );
}

function NewBreach({ onDone }: { onDone: (id: string) => void }) {
  const client = useQueryClient();
  const [title, setTitle] = useState('');
  const [aware, setAware] = useState(() => new Date(Date.now() - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16));
  const [risk, setRisk] = useState<Breach['risk']>('risk');
  const create = useMutation({
    mutationFn: () => unwrap(gdpr.POST('/v1/breaches', { body: { title: title.trim(), awareAt: new Date(aware).toISOString(), risk } })),
    onSuccess: async (b) => {
      await client.invalidateQueries({ queryKey: ['gdpr', 'breaches'] });
      onDone(b.id);
    },
  });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate();
      }}
      aria-labelledby="new-breach-h"
    >
      <h2 id="new-breach-h">Record a breach</h2>
      <p className="muted">Record it as soon as you are aware: the 72-hour clock starts then. The Art. 33(3) details can follow.</p>
      <div className="form-grid">
        <div className="field wide">
          <label htmlFor="nb-title">Title</label>
          <input id="nb-title" value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={300} />
        </div>
        <div className="field">
          <label htmlFor="nb-aware">Became aware at</label>
          <input id="nb-aware" type="datetime-local" value={aware} onChange={(e) => setAware(e.target.value)} required />
        </div>
        <div className="field">
          <label htmlFor="nb-risk">Risk to rights and freedoms</label>
          <select id="nb-risk" value={risk} onChange={(e) => setRisk(e.target.value as Breach['risk'])}>
            {(Object.keys(RISK) as Breach['risk'][]).map((r) => (
              <option key={r} value={r}>
                {RISK[r]}
              </option>
            ))}
          </select>
        </div>
      </div>
      <FormProblem error={create.error} fields={[]} />
      <div className="actions">
        <button type="submit" className="primary" disabled={create.isPending}>
          Record breach
        </button>
      </div>
    </form>
  );
}

function ListClock({ b }: { b: Breach }) {
  const now = useSecond();
  if (!isClockOpen(b)) return <span className="badge ok">{b.authorityNotifiedAt ? 'notified' : 'not notifiable'}</span>;
  const c = breachClock(b.awareAt, b.notifyDeadline, now);
  const h = Math.floor(Math.abs(c.hoursLeft));
  return <span className={`badge ${c.tone}`}>{c.hoursLeft < 0 ? `${h} h overdue` : `${h} h left`}</span>;
}

export function BreachesTab() {
  const search = useSearch({ from: '/app/privacy' });
  const navigate = useNavigate({ from: '/privacy' });
  const canWrite = useCan('write');
  const { data, error, isPending } = useQuery(breachesQuery);
  if (error) return <ProblemMessage error={error} title="Could not load the breach register" />;
  if (isPending) return <Loading />;
  const creating = search.breach === 'new';
  const selected = creating ? undefined : (data.find((b) => b.id === search.breach) ?? data[0]);
  return (
    <div className="master-detail">
      <section className="panel" aria-labelledby="br-list-h">
        <div className="panel-head">
          <h2 id="br-list-h">Register ({data.length})</h2>
          {canWrite ? (
            <Link from="/privacy" to="/privacy" search={(s) => ({ ...s, breach: 'new' })} className="button">
              Record a breach
            </Link>
          ) : null}
        </div>
        {!data.length ? (
          <EmptyState title="No breach recorded.">Every breach goes in the register, notified or not (Art. 33(5)).</EmptyState>
        ) : (
          <ul className="pick-list">
            {data.map((b) => (
              <li key={b.id} className={b.id === selected?.id ? 'selected' : undefined}>
                <Link from="/privacy" to="/privacy" search={(s) => ({ ...s, breach: b.id })} aria-current={b.id === selected?.id ? 'true' : undefined}>
                  <span className="pick-title">{b.title}</span>
                  <span className="pick-meta">
                    <ListClock b={b} />
                    {b.missingFields.length ? <span className="muted small">{b.missingFields.length} fields missing</span> : null}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="panel" aria-label={creating ? 'Record a breach' : selected ? `Breach: ${selected.title}` : 'Breach'}>
        {creating ? (
          <NewBreach onDone={(id) => void navigate({ search: (s) => ({ ...s, breach: id }) })} />
        ) : selected ? (
          <>
            <div className="panel-head">
              <h2>{selected.title}</h2>
              <span className={`badge ${selected.risk === 'high' ? 'critical' : selected.risk === 'risk' ? 'warning' : ''}`}>{RISK[selected.risk]}</span>
            </div>
            <Countdown b={selected} />
            <Notification b={selected} canWrite={canWrite} />
            <Art33Form key={selected.id} b={selected} canWrite={canWrite} />
            {selected.updates.length ? (
              <>
                <h3>Information given in phases (Art. 33(4))</h3>
                <ul className="tile-list">
                  {selected.updates.map((u) => (
                    <li key={u.addedAt + u.phase}>
                      <strong>{u.phase}</strong> <span className="grow">{u.detail}</span> <Time at={u.addedAt} />
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </>
        ) : (
          <p className="muted">Select a breach.</p>
        )}
      </section>
    </div>
  );
}
