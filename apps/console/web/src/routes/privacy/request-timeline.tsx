// The request's timeline: intake, verification, fan-out, each holder's receipt (what it erased, exported or
// retained), extension, completion or refusal. Receipts the stream announced but the detail does not hold yet
// show as arriving.
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { Time } from '../../components/time';
import { recentEventsKey, type TickerEvent } from '../../live/stream';
import type { Receipt, RequestDetail } from './queries';
import { isOpen, KIND_LABEL, shortId } from './request-labels';

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
export function useLiveReceipts(requestId: string): Map<string, { status: string; completedAt?: string }> {
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

export function steps(r: RequestDetail, live: Map<string, { status: string; completedAt?: string }>): Step[] {
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

export function Timeline({ items }: { items: Step[] }) {
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

