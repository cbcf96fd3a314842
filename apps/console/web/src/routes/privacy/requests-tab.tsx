// The subject-request queue (Fides-style): type, status, received, due with a days-left badge, identity
// verification; filters in the URL; bulk refusal on an Art. 12 ground, with reasons.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useId, useMemo, useState } from 'react';
import { useCan } from '../../app/session';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { EmptyState } from '../../components/empty-state';
import { Loading } from '../../components/loading';
import { Pager, pageOf } from '../../components/pager';
import { ProblemMessage } from '../../components/problem';
import { Time, useNow } from '../../components/time';
import { daysLeft } from './deadline';
import { DueDate } from './due-date';
import { refuseRequest, subjectRequestsQuery, type SubjectRequest } from './queries';
import { isOpen, KIND_LABEL, REFUSAL_GROUNDS, refusalReason, shortId, STATE_LABEL, STATE_TONE, type RefusalGround } from './request-labels';
import { REQUEST_KINDS, REQUEST_STATES, type PrivacySearch } from './routes';

export function DueBadge({ r, now }: { r: SubjectRequest; now: number }) {
  const d = daysLeft(r.receivedAt, r.effectiveDeadline, now, isOpen(r));
  if (!isOpen(r)) return <span className="muted small">closed</span>;
  return (
    <span className="due">
      <span className={`badge ${d.tone === 'muted' ? '' : d.tone}`} data-testid="days-left" title={`${Math.round(d.share * 100)} % of the time left`}>
        {d.label}
      </span>
      {r.extendedDeadline ? (
        <span className="badge info" title={r.extensionReason ?? undefined}>
          extended +2 mo
        </span>
      ) : null}
    </span>
  );
}

function Filters({ search }: { search: PrivacySearch }) {
  const navigate = useNavigate({ from: '/privacy' });
  const set = (patch: Partial<PrivacySearch>) => void navigate({ search: (s) => ({ ...s, ...patch, page: undefined }) });
  return (
    <div className="form-row filters" role="search" aria-label="Filter subject requests">
      <div className="field">
        <label htmlFor="f-state">Status</label>
        <select id="f-state" value={search.state ?? ''} onChange={(e) => set({ state: (e.target.value || undefined) as PrivacySearch['state'] })}>
          <option value="">Any status</option>
          {REQUEST_STATES.map((s) => (
            <option key={s} value={s}>
              {STATE_LABEL[s]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="f-kind">Type</label>
        <select id="f-kind" value={search.kind ?? ''} onChange={(e) => set({ kind: (e.target.value || undefined) as PrivacySearch['kind'] })}>
          <option value="">Any type</option>
          {REQUEST_KINDS.map((k) => (
            <option key={k} value={k}>
              {KIND_LABEL[k]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="f-verified">Identity</label>
        <select id="f-verified" value={search.verified ?? ''} onChange={(e) => set({ verified: (e.target.value || undefined) as PrivacySearch['verified'] })}>
          <option value="">Verified or not</option>
          <option value="yes">Verified</option>
          <option value="no">Not verified</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="f-due">Due</label>
        <select id="f-due" value={search.due ?? ''} onChange={(e) => set({ due: (e.target.value || undefined) as PrivacySearch['due'] })}>
          <option value="">Any time</option>
          <option value="urgent">Under 25 % of the time left</option>
          <option value="overdue">Overdue</option>
        </select>
      </div>
    </div>
  );
}

function BulkRefuse({ selected, onDone }: { selected: SubjectRequest[]; onDone: () => void }) {
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [ground, setGround] = useState<RefusalGround>('unfounded');
  const [detail, setDetail] = useState('');
  const id = useId();
  const allUnverified = selected.every((r) => r.state === 'unverified');
  const refuse = useMutation({
    mutationFn: async () => {
      for (const r of selected) await refuseRequest(r.id, refusalReason(ground, detail));
    },
    onSettled: () => client.invalidateQueries({ queryKey: ['gdpr', 'subject-requests'] }),
    onSuccess: () => {
      setOpen(false);
      setDetail('');
      onDone();
    },
  });
  return (
    <>
      <button type="button" className="danger" disabled={!selected.length} onClick={() => setOpen(true)}>
        Refuse {selected.length ? `${selected.length} selected` : 'selected'}
      </button>
      <ConfirmDialog
        open={open}
        title={`Refuse ${selected.length} request${selected.length === 1 ? '' : 's'}`}
        confirmLabel="Refuse"
        busy={refuse.isPending || detail.trim().length < 3}
        onConfirm={() => refuse.mutate()}
        onCancel={() => setOpen(false)}
      >
        <p className="muted">Art. 12(4): the subjects are told the reasons and that they may complain to a supervisory authority.</p>
        <div className="field">
          <label htmlFor={`${id}-ground`}>Ground</label>
          <select id={`${id}-ground`} value={ground} onChange={(e) => setGround(e.target.value as RefusalGround)}>
            {REFUSAL_GROUNDS.map((g) => (
              <option key={g.id} value={g.id} disabled={g.unverifiedOnly && !allUnverified}>
                {g.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-detail`}>Reasons given to the subjects</label>
          <textarea id={`${id}-detail`} rows={3} value={detail} onChange={(e) => setDetail(e.target.value)} />
        </div>
        <ProblemMessage error={refuse.error} title="Not refused" />
      </ConfirmDialog>
    </>
  );
}

export function RequestsTab() {
  const search = useSearch({ from: '/app/privacy' });
  const navigate = useNavigate({ from: '/privacy' });
  const canWrite = useCan('write');
  const { data, error, isPending } = useQuery(subjectRequestsQuery);
  const now = useNow();
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const rows = useMemo(() => {
    const list = (data ?? []).filter(
      (r) =>
        (!search.state || r.state === search.state) &&
        (!search.kind || r.kind === search.kind) &&
        (!search.verified || (search.verified === 'yes') === !!r.verifiedAt) &&
        (!search.due ||
          (isOpen(r) &&
            (search.due === 'overdue' ? Date.parse(r.effectiveDeadline) < now : daysLeft(r.receivedAt, r.effectiveDeadline, now, true).tone === 'critical'))),
    );
    // Open requests first, soonest deadline first; closed ones after, newest first.
    return list.sort((a, b) => Number(isOpen(b)) - Number(isOpen(a)) || (isOpen(a) ? a.effectiveDeadline.localeCompare(b.effectiveDeadline) : b.receivedAt.localeCompare(a.receivedAt)));
  }, [data, search.state, search.kind, search.verified, search.due, now]);
  if (error) return <ProblemMessage error={error} title="Could not load subject requests" />;
  if (isPending) return <Loading />;
  const p = pageOf(rows, search.page ?? 1);
  const selected = rows.filter((r) => picked.has(r.id) && isOpen(r));
  const openOnPage = p.rows.filter(isOpen);
  const toggle = (id: string) =>
    setPicked((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  const open = (data ?? []).filter(isOpen);
  return (
    <>
      <div className="stat-row" aria-label="Queue summary">
        <Stat label="Open" value={open.length} />
        <Stat label="Awaiting verification" value={open.filter((r) => r.state === 'unverified').length} />
        <Stat label="Under 25 % of time left" value={open.filter((r) => daysLeft(r.receivedAt, r.effectiveDeadline, now, true).tone === 'critical').length} tone="critical" />
        <Stat label="Overdue" value={open.filter((r) => Date.parse(r.effectiveDeadline) < now).length} tone="critical" />
      </div>
      <div className="panel">
        <div className="toolbar">
          <Filters search={search} />
          {canWrite ? <BulkRefuse selected={selected} onDone={() => setPicked(new Set())} /> : null}
        </div>
        {!rows.length ? (
          <EmptyState title={data.length ? 'No request matches these filters.' : 'No subject request yet.'}>
            {data.length ? 'Clear a filter to see more.' : 'Requests arrive through the gdpr service (POST /api/gdpr/v1/subject-requests).'}
          </EmptyState>
        ) : (
          <div className="table-wrap">
            <table className="queue">
              <caption className="visually-hidden">Subject requests, open ones first by deadline</caption>
              <thead>
                <tr>
                  {canWrite ? (
                    <th scope="col" className="check">
                      <input
                        type="checkbox"
                        aria-label="Select every open request on this page"
                        checked={openOnPage.length > 0 && openOnPage.every((r) => picked.has(r.id))}
                        disabled={!openOnPage.length}
                        onChange={(e) => setPicked((s) => new Set(e.target.checked ? [...s, ...openOnPage.map((r) => r.id)] : [...s].filter((id) => !openOnPage.some((r) => r.id === id))))}
                      />
                    </th>
                  ) : null}
                  <th scope="col">Request</th>
                  <th scope="col">Type</th>
                  <th scope="col">Status</th>
                  <th scope="col">Identity</th>
                  <th scope="col">Received</th>
                  <th scope="col">Due</th>
                </tr>
              </thead>
              <tbody>
                {p.rows.map((r) => (
                  <tr key={r.id} className={picked.has(r.id) ? 'selected' : undefined}>
                    {canWrite ? (
                      <td className="check">
                        <input
                          type="checkbox"
                          aria-label={`Select request ${shortId(r.id)}`}
                          checked={picked.has(r.id)}
                          disabled={!isOpen(r)}
                          title={isOpen(r) ? undefined : 'A closed request cannot be refused'}
                          onChange={() => toggle(r.id)}
                        />
                      </td>
                    ) : null}
                    <td>
                      <Link to="/privacy/requests/$requestId" params={{ requestId: r.id }} className="mono">
                        {shortId(r.id)}
                      </Link>
                      {r.parentId ? <span className="muted small"> re-run</span> : null}
                    </td>
                    <td>{KIND_LABEL[r.kind]}</td>
                    <td>
                      <span className={`badge ${STATE_TONE[r.state]}`}>{STATE_LABEL[r.state]}</span>
                    </td>
                    <td>{r.verifiedAt ? <span className="verified">✓ Verified</span> : <span className="muted">Not verified</span>}</td>
                    <td>
                      <Time at={r.receivedAt} />
                    </td>
                    <td>
                      <div className="due-cell">
                        <DueDate at={r.effectiveDeadline} />
                        <DueBadge r={r} now={now} />
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <Pager page={p.page} pages={p.pages} total={rows.length} label="Subject requests" onPage={(page) => void navigate({ search: (s) => ({ ...s, page }) })} />
          </div>
        )}
      </div>
    </>
  );
}

export function Stat({ label, value, tone }: { label: string; value: number | string; tone?: 'critical' | 'ok' | 'warning' }) {
  return (
    <div className={`stat ${tone && value !== 0 ? tone : ''}`}>
      <span className="stat-value">{value}</span>
      <span className="stat-label">{label}</span>
    </div>
  );
}
