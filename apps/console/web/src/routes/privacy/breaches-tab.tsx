// The breach register (Art. 33(5)): each breach's live 72-hour clock, the Art. 33(3) information as a
// form that names what is still missing (Art. 33(4) allows it in phases), and where notification of the
// authority (Art. 33) and of the subjects (Art. 34) stands.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useEffect, useState, type FormEvent } from 'react';
import { gdpr, unwrap } from '../../api/services';
import { useCan } from '../../app/session';
import { EmptyState } from '../../components/empty-state';
import { Loading } from '../../components/loading';
import { FormProblem, ProblemMessage } from '../../components/problem';
import { Time } from '../../components/time';
import { breachClock } from './deadline';
import { breachesQuery, type Art33Field, type Breach } from './queries';

const ART33: { field: Art33Field; label: string; article: string; kind: 'text' | 'area' | 'number' | 'list' }[] = [
  { field: 'nature', label: 'Nature of the breach', article: 'Art. 33(3)(a)', kind: 'area' },
  { field: 'dataCategories', label: 'Categories of personal data', article: 'Art. 33(3)(a)', kind: 'list' },
  { field: 'approxSubjects', label: 'Approximate number of data subjects', article: 'Art. 33(3)(a)', kind: 'number' },
  { field: 'approxRecords', label: 'Approximate number of records', article: 'Art. 33(3)(a)', kind: 'number' },
  { field: 'dpoContact', label: 'DPO or other contact point', article: 'Art. 33(3)(b)', kind: 'text' },
  { field: 'likelyConsequences', label: 'Likely consequences', article: 'Art. 33(3)(c)', kind: 'area' },
  { field: 'measures', label: 'Measures taken or proposed', article: 'Art. 33(3)(d)', kind: 'area' },
];
const LABEL = Object.fromEntries(ART33.map((f) => [f.field, f.label])) as Record<Art33Field, string>;
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

type Values = Record<Art33Field, string>;
const valuesOf = (b: Breach): Values => ({
  nature: b.nature ?? '',
  dataCategories: b.dataCategories.join(', '),
  approxSubjects: b.approxSubjects === null ? '' : String(b.approxSubjects),
  approxRecords: b.approxRecords === null ? '' : String(b.approxRecords),
  dpoContact: b.dpoContact ?? '',
  likelyConsequences: b.likelyConsequences ?? '',
  measures: b.measures ?? '',
});

function patchOf(v: Values, b: Breach): Record<string, unknown> {
  const before = valuesOf(b);
  const out: Record<string, unknown> = {};
  for (const f of ART33) {
    const raw = v[f.field].trim();
    if (!raw || raw === before[f.field]) continue;
    out[f.field] = f.kind === 'number' ? Number(raw) : f.kind === 'list' ? raw.split(',').map((s) => s.trim()).filter(Boolean) : raw;
  }
  return out;
}

function Art33Form({ b, canWrite }: { b: Breach; canWrite: boolean }) {
  const client = useQueryClient();
  // The draft starts from the breach and follows what the server saved; a refetch meanwhile does not wipe typing.
  const [v, setV] = useState<Values>(() => valuesOf(b));
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) => unwrap(gdpr.PATCH('/v1/breaches/{id}', { params: { path: { id: b.id } }, body })),
    onSuccess: (saved) => {
      setV(valuesOf(saved));
      return client.invalidateQueries({ queryKey: ['gdpr', 'breaches'] });
    },
  });
  const missing = new Set(b.missingFields);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = patchOf(v, b);
    if (Object.keys(body).length) save.mutate(body);
  };
  return (
    <form onSubmit={submit} aria-labelledby="art33-h">
      <div className="panel-head">
        <h3 id="art33-h">Information for the authority (Art. 33(3))</h3>
      </div>
      {b.missingFields.length ? (
        <div className="notice" role="status" data-testid="missing-fields">
          <strong>
            {b.missingFields.length} of {ART33.length} still missing:
          </strong>
          <ul>
            {b.missingFields.map((f) => (
              <li key={f}>{LABEL[f]}</li>
            ))}
          </ul>
          <span className="small">Art. 33(4): what is not known yet may follow in phases, without undue further delay.</span>
        </div>
      ) : (
        <p className="ok-line" role="status" data-testid="missing-fields">
          ✓ Every Art. 33(3) field is recorded.
        </p>
      )}
      <div className="form-grid">
        {ART33.map((f) => {
          const id = `b-${f.field}`;
          const props = {
            id,
            value: v[f.field],
            readOnly: !canWrite,
            'aria-invalid': missing.has(f.field) ? true : undefined,
            'aria-describedby': missing.has(f.field) ? `${id}-missing` : undefined,
            onChange: (e: { target: { value: string } }) => setV({ ...v, [f.field]: e.target.value }),
          };
          return (
            <div className={`field ${f.kind === 'area' ? 'wide' : ''}`} key={f.field}>
              <label htmlFor={id}>
                {f.label} <span className="muted small">{f.article}</span>
              </label>
              {f.kind === 'area' ? <textarea rows={2} {...props} /> : <input type={f.kind === 'number' ? 'number' : 'text'} min={0} {...props} />}
              {f.kind === 'list' ? <span className="hint">Comma-separated</span> : null}
              {missing.has(f.field) ? (
                <span className="missing" id={`${id}-missing`}>
                  Missing
                </span>
              ) : null}
            </div>
          );
        })}
      </div>
      <FormProblem error={save.error} fields={[]} />
      {canWrite ? (
        <div className="actions">
          <button type="submit" className="primary" disabled={save.isPending}>
            Save information
          </button>
        </div>
      ) : null}
    </form>
  );
}

function Notification({ b, canWrite }: { b: Breach; canWrite: boolean }) {
  const client = useQueryClient();
  const [delay, setDelay] = useState('');
  const decide = useMutation({
    mutationFn: (body: Record<string, unknown>) => unwrap(gdpr.PATCH('/v1/breaches/{id}', { params: { path: { id: b.id } }, body })),
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
