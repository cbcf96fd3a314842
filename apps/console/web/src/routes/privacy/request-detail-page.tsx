// One subject request: its timeline (intake, verification, fan-out, each holder's receipt with what it
// erased, exported or retained, completion), filled live from the stream as receipts arrive; the export
// in JSON, CSV and XML; extension and refusal with their Art. 12 reasons.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { useCan } from '../../app/session';
import { Loading } from '../../components/loading';
import { ProblemMessage } from '../../components/problem';
import { formatDuration, Time, useNow } from '../../components/time';
import { daysLeft } from './deadline';
import { exportUrl, extendRequest, refuseRequest, retryRequest, subjectRequestQuery } from './queries';
import { ReasonDialog } from './reason-dialog';
import { isOpen, KIND_LABEL, shortId, STATE_LABEL, STATE_TONE } from './request-labels';
import { steps, Timeline, useLiveReceipts } from './request-timeline';
import { DueBadge } from './requests-tab';
import './privacy.css';
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
