// One subject request: its timeline (intake, verification, fan-out, each holder's receipt with what it
// erased, exported or retained, completion), filled live from the stream as receipts arrive; the export
// in JSON, CSV and XML; extension and refusal with their Art. 12 reasons.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useEffect, useId, useState, type ReactNode } from 'react';
import { useCan } from '../../app/session';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { Loading } from '../../components/loading';
import { ProblemMessage } from '../../components/problem';
import { formatDuration, Time, useNow } from '../../components/time';
import { recentEventsKey, type TickerEvent } from '../../live/stream';
import { daysLeft } from './deadline';
import { exportUrl, extendRequest, refuseRequest, retryRequest, subjectRequestQuery, type Receipt, type RequestDetail } from './queries';
import { DueBadge } from './requests-tab';
import { isOpen, KIND_LABEL, REFUSAL_GROUNDS, refusalReason, shortId, STATE_LABEL, STATE_TONE, type RefusalGround } from './request-labels';
import './privacy.css';

type Step = { key: string; state: 'done' | 'pending' | 'failed' | 'info'; title: ReactNode; at?: string | null; children?: ReactNode; testId?: string };

const ACTION_TONE: Record<string, string> = { erased: 'critical', exported: 'info', retained: 'warning' };

function ReceiptBody({ receipt }: { receipt: Receipt }) {
  if (receipt.status === 'failed') return <p className="field-error">{receipt.error ?? 'the service reported a failure'}</p>;
  if (!receipt.tables.length) return <p className="muted">Holds nothing for this subject.</p>;
  return (
    <ul className="receipt-tables">
      {receipt.tables.map((t) => (
        <li key={t.table}>
          <span className="mono">{t.table}</span>
          <span className={`badge ${ACTION_TONE[t.action] ?? ''}`}>
            {t.rows} {t.rows === 1 ? 'row' : 'rows'} {t.action}
          </span>
          {t.ground ? <span className="muted small">{t.ground}</span> : null}
        </li>
      ))}
      {receipt.exportSha256 ? (
        <li className="muted small">
          export part sha256 <span className="mono">{receipt.exportSha256.slice(0, 16)}…</span>
        </li>
      ) : null}
    </ul>
  );
}

/** Receipts the stream has announced for this request (the refetch that brings their detail may still be on its way). */
function useLiveReceipts(requestId: string): Map<string, { status: string; completedAt?: string }> {
  const { data = [] } = useQuery<TickerEvent[]>({ queryKey: recentEventsKey, queryFn: () => [], staleTime: Infinity, refetchInterval: false, gcTime: Infinity });
  const out = new Map<string, { status: string; completedAt?: string }>();
  for (const e of data) {
    const d = e.envelope.data;
    if (e.envelope.type === 'SubjectRequestReceipt' && d.requestId === requestId && typeof d.service === 'string' && !out.has(d.service)) {
      out.set(d.service, { status: String(d.status), completedAt: typeof d.completedAt === 'string' ? d.completedAt : undefined });
    }
  }
  return out;
}

function steps(r: RequestDetail, live: Map<string, { status: string; completedAt?: string }>): Step[] {
  const out: Step[] = [
    {
      key: 'intake',
      state: 'done',
      title: `Received: ${KIND_LABEL[r.kind]}`,
      at: r.receivedAt,
      children: (
        <p className="muted">
          Via {r.origin === 'api' ? 'the intake API' : r.origin}
          {r.parentId ? (
            <>
              {' '}
              — a re-run of{' '}
              <Link to="/privacy/requests/$requestId" params={{ requestId: r.parentId }} className="mono">
                {shortId(r.parentId)}
              </Link>
            </>
          ) : null}
          . Art. 12(3) deadline <Time at={r.deadline} mode="absolute" />.
        </p>
      ),
    },
    r.verifiedAt
      ? { key: 'verify', state: 'done', title: 'Identity verified', at: r.verifiedAt }
      : { key: 'verify', state: r.state === 'refused' ? 'info' : 'pending', title: 'Awaiting identity verification', children: <p className="muted">The subject confirms with the one-time token sent at intake.</p> },
  ];
  if (r.verifiedAt) {
    out.push({
      key: 'fanout',
      state: 'done',
      title: `Fanned out to ${r.expectedServices.length} data holder${r.expectedServices.length === 1 ? '' : 's'}`,
      at: r.verifiedAt,
      children: (
        <p className="chips">
          {r.expectedServices.map((s) => (
            <span key={s} className="chip">
              {s}
            </span>
          ))}
        </p>
      ),
    });
    const byService = new Map(r.receipts.map((x) => [x.service, x]));
    for (const service of [...new Set([...r.expectedServices, ...r.receipts.map((x) => x.service)])]) {
      const receipt = byService.get(service);
      const heard = live.get(service);
      if (receipt) {
        out.push({
          key: `receipt-${service}`,
          testId: `receipt-${service}`,
          state: receipt.status === 'completed' ? 'done' : 'failed',
          title: (
            <>
              <span className="mono">{service}</span> {receipt.status === 'completed' ? 'answered' : 'failed'}
            </>
          ),
          at: receipt.receivedAt,
          children: <ReceiptBody receipt={receipt} />,
        });
      } else if (heard) {
        out.push({
          key: `receipt-${service}`,
          testId: `receipt-${service}`,
          state: 'pending',
          title: (
            <>
              <span className="mono">{service}</span> answered ({heard.status}) — loading its receipt…
            </>
          ),
          at: heard.completedAt,
        });
      } else if (isOpen(r)) {
        out.push({ key: `receipt-${service}`, state: 'pending', title: <><span className="mono">{service}</span>: waiting for its receipt</> });
      }
    }
  }
  if (r.extendedDeadline) {
    out.push({
      key: 'extended',
      state: 'info',
      title: 'Deadline extended by two months (Art. 12(3))',
      children: (
        <p>
          New deadline <Time at={r.extendedDeadline} mode="absolute" />. <span className="muted">Reason: {r.extensionReason}</span>
        </p>
      ),
    });
  }
  if (r.state === 'completed') out.push({ key: 'done', state: 'done', title: 'Completed', at: r.completedAt, testId: 'request-completed' });
  if (r.state === 'refused') out.push({ key: 'refused', state: 'failed', title: 'Refused', at: r.completedAt, children: <p>{r.refusalReason}</p> });
  return out;
}

function Timeline({ items }: { items: Step[] }) {
  return (
    <ol className="timeline" aria-label="Request timeline">
      {items.map((s) => (
        <li key={s.key} className={`step ${s.state}`} data-testid={s.testId}>
          <span className="step-dot" aria-hidden="true" />
          <div className="step-body">
            <div className="step-head">
              <strong>{s.title}</strong>
              {s.at ? <Time at={s.at} /> : null}
            </div>
            {s.children}
          </div>
        </li>
      ))}
    </ol>
  );
}

function ReasonDialog(props: {
  open: boolean;
  title: string;
  confirmLabel: string;
  grounds?: boolean;
  unverified: boolean;
  intro: string;
  onSubmit: (reason: string) => Promise<unknown>;
  onClose: () => void;
}) {
  const id = useId();
  const [ground, setGround] = useState<RefusalGround>('unfounded');
  const [text, setText] = useState('');
  const m = useMutation({ mutationFn: () => props.onSubmit(props.grounds ? refusalReason(ground, text) : text.trim()), onSuccess: () => props.onClose() });
  return (
    <ConfirmDialog open={props.open} title={props.title} confirmLabel={props.confirmLabel} busy={m.isPending || text.trim().length < 3} onConfirm={() => m.mutate()} onCancel={props.onClose}>
      <p className="muted">{props.intro}</p>
      {props.grounds ? (
        <div className="field">
          <label htmlFor={`${id}-g`}>Ground</label>
          <select id={`${id}-g`} value={ground} onChange={(e) => setGround(e.target.value as RefusalGround)}>
            {REFUSAL_GROUNDS.map((g) => (
              <option key={g.id} value={g.id} disabled={g.unverifiedOnly && !props.unverified}>
                {g.label}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <div className="field">
        <label htmlFor={`${id}-r`}>Reason</label>
        <textarea id={`${id}-r`} rows={3} value={text} onChange={(e) => setText(e.target.value)} />
      </div>
      <ProblemMessage error={m.error} title="Not saved" />
    </ConfirmDialog>
  );
}

/** "Answered in 2 h, 31 d before the deadline". */
function answeredIn(receivedAt: string, completedAt: string, deadline: string): string {
  const took = (Date.parse(completedAt) - Date.parse(receivedAt)) / 1000;
  const spare = (Date.parse(deadline) - Date.parse(completedAt)) / 1000;
  return `Answered in ${formatDuration(took)}, ${spare >= 0 ? `${formatDuration(spare)} before` : `${formatDuration(-spare)} after`} the deadline`;
}

export function RequestDetailPage() {
  const { requestId } = useParams({ from: '/app/privacy/requests/$requestId' });
  const client = useQueryClient();
  const canWrite = useCan('write');
  const now = useNow();
  const { data: r, error, isPending, refetch } = useQuery(subjectRequestQuery(requestId));
  const live = useLiveReceipts(requestId);
  const [dialog, setDialog] = useState<'extend' | 'refuse' | null>(null);
  const retry = useMutation({ mutationFn: () => retryRequest(requestId), onSuccess: () => client.invalidateQueries({ queryKey: ['gdpr', 'subject-requests'] }) });

  // A receipt the stream announced but the detail does not hold yet (gdpr was still storing it): read again.
  const unseen = r ? [...live.keys()].filter((s) => !r.receipts.some((x) => x.service === s)).join(',') : '';
  useEffect(() => {
    if (!unseen) return;
    const t = setTimeout(() => void refetch(), 1_000);
    return () => clearTimeout(t);
  }, [unseen, refetch, r]);

  if (error) return <ProblemMessage error={error} title="Could not load the subject request" />;
  if (isPending) return <Loading />;
  const done = new Set(r.receipts.filter((x) => x.status === 'completed').map((x) => x.service));
  const progress = r.expectedServices.length ? done.size / r.expectedServices.length : 0;
  const exportable = r.state === 'completed' && r.kind !== 'erasure';
  const invalidate = () => client.invalidateQueries({ queryKey: ['gdpr', 'subject-requests'] });
  const d = daysLeft(r.receivedAt, r.effectiveDeadline, now, isOpen(r));
  return (
    <>
      <nav aria-label="Breadcrumb" className="crumbs">
        <Link to="/privacy" search={{ tab: 'requests' }}>
          Subject requests
        </Link>{' '}
        / <span className="mono">{shortId(r.id)}</span>
      </nav>
      <div className="detail-head">
        <h1>
          {KIND_LABEL[r.kind]} <span className="mono muted">{shortId(r.id)}</span>
        </h1>
        <span className={`badge ${STATE_TONE[r.state]}`} data-testid="request-state">
          {STATE_LABEL[r.state]}
        </span>
      </div>
      <div className="detail-grid">
        <section className="panel" aria-labelledby="timeline-h">
          <div className="panel-head">
            <h2 id="timeline-h">Timeline</h2>
            {r.verifiedAt && r.expectedServices.length ? (
              <span className="muted" data-testid="receipt-progress">
                {done.size} of {r.expectedServices.length} receipts
              </span>
            ) : null}
          </div>
          {r.verifiedAt && r.expectedServices.length ? (
            <div className="progress" role="progressbar" aria-label="Receipts received" aria-valuemin={0} aria-valuemax={r.expectedServices.length} aria-valuenow={done.size}>
              <span style={{ width: `${Math.round(progress * 100)}%` }} />
            </div>
          ) : null}
          <Timeline items={steps(r, live)} />
        </section>
        <aside>
          <section className="panel" aria-labelledby="deadline-h">
            <h2 id="deadline-h">Deadline</h2>
            <p className="big">
              <Time at={r.effectiveDeadline} mode="absolute" />
            </p>
            {isOpen(r) ? (
              <DueBadge r={r} now={now} />
            ) : (
              <span className={`badge wrap ${r.state === 'completed' && r.completedAt && r.completedAt <= r.effectiveDeadline ? 'ok' : ''}`}>
                {r.state === 'completed' && r.completedAt ? answeredIn(r.receivedAt, r.completedAt, r.effectiveDeadline) : 'Closed'}
              </span>
            )}
            {isOpen(r) ? <div className="meter" aria-hidden="true"><span className={d.tone} style={{ width: `${Math.round(d.share * 100)}%` }} /></div> : null}
            <dl className="facts">
              <dt>Subject</dt>
              <dd className="mono wrap-anywhere" title="HMAC pseudonym: the console never shows raw identifiers">
                {r.subjectRef.slice(0, 20)}…
              </dd>
              <dt>Identity</dt>
              <dd>{r.verifiedAt ? <span className="verified">✓ Verified</span> : 'Not verified'}</dd>
              {r.missingServices.length ? (
                <>
                  <dt>Still to answer</dt>
                  <dd>{r.missingServices.join(', ')}</dd>
                </>
              ) : null}
            </dl>
            {canWrite && isOpen(r) ? (
              <div className="actions">
                <button type="button" onClick={() => setDialog('extend')} disabled={!!r.extendedDeadline} title={r.extendedDeadline ? 'Art. 12(3) allows one extension' : undefined}>
                  Extend
                </button>
                <button type="button" className="danger" onClick={() => setDialog('refuse')}>
                  Refuse
                </button>
                {r.state === 'in_progress' && r.missingServices.length ? (
                  <button type="button" onClick={() => retry.mutate()} disabled={retry.isPending} title={`Ask ${r.missingServices.join(', ')} again`}>
                    Ask again
                  </button>
                ) : null}
              </div>
            ) : null}
            <ProblemMessage error={retry.error} title="Not asked again" />
          </section>
          {r.kind !== 'erasure' ? (
            <section className="panel" aria-labelledby="export-h">
              <h2 id="export-h">Export</h2>
              {exportable ? (
                <>
                  <p className="muted">Every holder's part, with the Art. 15(1) information, checked against each receipt's sha256.</p>
                  <div className="actions">
                    {(['json', 'csv', 'xml'] as const).map((f) => (
                      <a key={f} className="button" href={exportUrl(r.id, f)} download>
                        Download {f.toUpperCase()}
                      </a>
                    ))}
                  </div>
                </>
              ) : (
                <p className="muted">Available once every holder has answered.</p>
              )}
            </section>
          ) : null}
        </aside>
      </div>
      <ReasonDialog
        open={dialog === 'extend'}
        title="Extend by two months"
        confirmLabel="Extend"
        unverified={r.state === 'unverified'}
        intro="Art. 12(3): where necessary, taking into account the complexity and number of requests. The subject is told within the first month, with the reasons."
        onSubmit={(reason) => extendRequest(r.id, reason).then(invalidate)}
        onClose={() => setDialog(null)}
      />
      <ReasonDialog
        open={dialog === 'refuse'}
        title="Refuse this request"
        confirmLabel="Refuse"
        grounds
        unverified={r.state === 'unverified'}
        intro="Art. 12(4): the subject is told the reasons and the right to complain to a supervisory authority."
        onSubmit={(reason) => refuseRequest(r.id, reason).then(invalidate)}
        onClose={() => setDialog(null)}
      />
    </>
  );
}
