// The tamper-evident processing log: a badge from the verify API ("chain verified up to entry N,
// checkpoint signed at T", or the first broken entry in red), and the entries with filters in the URL.
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { CursorPager } from '../../components/cursor-pager';
import { EmptyState } from '../../components/empty-state';
import { Loading } from '../../components/loading';
import { ProblemMessage } from '../../components/problem';
import { Time } from '../../components/time';
import { auditEntriesQuery, auditVerifyQuery, type AuditEntry } from './queries';

const TOPICS = ['audit.processing', 'gdpr.subject-requests', 'gdpr.request-receipts', 'gdpr.consent', 'gdpr.deadlines', 'gdpr.data-holders'];

const REASON: Record<string, string> = {
  'hash-mismatch': 'its content no longer matches its hash',
  'prev-hash-mismatch': 'it does not link to the entry before it',
  'sequence-gap': 'entries are missing',
  'checkpoint-mismatch': 'a signed checkpoint does not match it',
  'checkpoint-signature-invalid': 'the checkpoint signature is not valid',
};

export function ChainBadge() {
  const { data, error, isPending, isFetching, refetch } = useQuery(auditVerifyQuery);
  if (error) return <ProblemMessage error={error} title="Could not verify the audit chain" />;
  if (isPending) return <Loading what="Verifying the audit chain…" />;
  const b = data.firstBroken;
  return (
    <div className={`chain-badge ${data.valid ? 'ok' : 'broken'}`} data-testid="chain-badge" role="status">
      <span className="chain-icon" aria-hidden="true">
        {data.valid ? '✓' : '✕'}
      </span>
      <div className="chain-text">
        {data.valid ? (
          <strong>
            Chain verified up to entry {data.entries}
            {data.checkpoints.latestSignedAt ? (
              <>
                , checkpoint signed at <Time at={data.checkpoints.latestSignedAt} mode="absolute" />
              </>
            ) : (
              ', no signed checkpoint yet'
            )}
          </strong>
        ) : (
          <strong>
            Chain broken at entry {b?.seq}: {REASON[b?.reason ?? ''] ?? b?.reason}
          </strong>
        )}
        <span className="small">
          {data.valid
            ? `${data.checkpoints.verified} of ${data.checkpoints.total} Ed25519 checkpoints hold`
            : `Intact up to entry ${data.entries}; expected ${short(b?.expected)}, found ${short(b?.found)}`}{' '}
          · verified <Time at={data.verifiedAt} />
        </span>
      </div>
      <button type="button" onClick={() => void refetch()} disabled={isFetching}>
        {isFetching ? 'Verifying…' : 'Verify again'}
      </button>
    </div>
  );
}

const short = (v?: string) => (!v ? '—' : v.length > 20 ? `${v.slice(0, 16)}…` : v);

function summary(e: AuditEntry): string {
  const c = e.content as { type?: string; data?: Record<string, unknown> } | null;
  const d = c?.data ?? {};
  const bits = [c?.type, d.service, d.activity, d.kind, d.purpose, d.status].filter((x) => typeof x === 'string' && x);
  return bits.join(' · ') || JSON.stringify(e.content).slice(0, 80);
}

export function AuditTab() {
  const search = useSearch({ from: '/app/privacy' });
  const navigate = useNavigate({ from: '/privacy' });
  const [subject, setSubject] = useState(search.subject ?? '');
  const filter = { topic: search.topic, subject: search.subject, cursor: search.cursor };
  const { data: verify } = useQuery(auditVerifyQuery);
  const { data, error, isPending } = useQuery(auditEntriesQuery(filter));
  const broken = verify?.firstBroken?.seq;
  return (
    <>
      <ChainBadge />
      <div className="panel">
        <form
          className="form-row filters"
          role="search"
          aria-label="Filter the audit log"
          onSubmit={(e) => {
            e.preventDefault();
            void navigate({ search: (s) => ({ ...s, subject: subject.trim() || undefined, cursor: undefined, page: undefined }) });
          }}
        >
          <div className="field">
            <label htmlFor="a-topic">Topic</label>
            <select id="a-topic" value={search.topic ?? ''} onChange={(e) => void navigate({ search: (s) => ({ ...s, topic: e.target.value || undefined, cursor: undefined, page: undefined }) })}>
              <option value="">Every topic</option>
              {TOPICS.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="a-subject">Subject identifier</label>
            <input id="a-subject" value={subject} onChange={(e) => setSubject(e.target.value)} autoComplete="off" />
          </div>
          <button type="submit">Apply</button>
        </form>
        {error ? <ProblemMessage error={error} title="Could not load the audit log" /> : null}
        {isPending ? (
          <Loading />
        ) : data && !data.items.length ? (
          <EmptyState title="No entry matches.">{search.cursor ? 'This is the end of the log.' : 'Processing events are chained here as they happen.'}</EmptyState>
        ) : data ? (
          <div className="table-wrap">
            <table className="audit">
              <caption className="visually-hidden">Audit log entries in chain order</caption>
              <thead>
                <tr>
                  <th scope="col">Entry</th>
                  <th scope="col">Recorded</th>
                  <th scope="col">Topic</th>
                  <th scope="col">What</th>
                  <th scope="col">Subject</th>
                  <th scope="col">Hash</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((e) => (
                  <tr key={e.seq} className={broken !== undefined && e.seq === broken ? 'broken-row' : undefined} data-testid={`audit-${e.seq}`}>
                    <td className="mono">{e.seq}</td>
                    <td>
                      <Time at={e.recordedAt} mode="absolute" />
                    </td>
                    <td className="mono">{e.topic}</td>
                    <td className="wrap-anywhere">{summary(e)}</td>
                    <td className="mono muted">{e.subjectRef ? `${e.subjectRef.slice(0, 10)}…` : '—'}</td>
                    <td className="mono muted" title={e.hash}>
                      {e.hash.slice(0, 12)}…
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <CursorPager
              page={search.page ?? 1}
              nextCursor={data.nextCursor}
              label="Audit log"
              onFirst={() => void navigate({ search: (s) => ({ ...s, cursor: undefined, page: undefined }) })}
              onNext={(cursor) => void navigate({ search: (s) => ({ ...s, cursor, page: (s.page ?? 1) + 1 }) })}
            />
          </div>
        ) : null}
      </div>
    </>
  );
}
