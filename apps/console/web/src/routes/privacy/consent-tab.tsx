// Consent lookup by subject: the append-only ledger (Art. 7(1) proof) with purpose, notice version,
// method and time, and the current state per purpose derived from it.
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { EmptyState } from '../../components/empty-state';
import { Loading } from '../../components/loading';
import { ProblemMessage } from '../../components/problem';
import { Time } from '../../components/time';
import { consentHistoryQuery, type Consent } from './queries';

const METHOD: Record<string, string> = { given: 'Given', withdrawn: 'Withdrawn', gpc: 'Global Privacy Control' };

function Current({ history }: { history: Consent[] }) {
  const latest = new Map<string, Consent>();
  for (const c of history) if (!latest.has(c.purpose) || latest.get(c.purpose)!.recordedAt < c.recordedAt) latest.set(c.purpose, c);
  return (
    <div className="purpose-cards" aria-label="Current consent per purpose">
      {[...latest.values()].map((c) => (
        <div key={c.purpose} className={`purpose ${c.granted ? 'granted' : 'denied'}`}>
          <span className="mono">{c.purpose}</span>
          <span className={`badge ${c.granted ? 'ok' : 'critical'}`}>{c.granted ? 'Granted' : 'Not granted'}</span>
          <span className="muted small">
            notice {c.noticeVersion} · <Time at={c.recordedAt} />
          </span>
        </div>
      ))}
    </div>
  );
}

function History({ subject }: { subject: string }) {
  const { data, error, isPending } = useQuery(consentHistoryQuery(subject));
  if (error) return <ProblemMessage error={error} title="Could not load the consent ledger" />;
  if (isPending) return <Loading />;
  if (!data.length) return <EmptyState title="No consent recorded for this subject.">The ledger is keyed by the subject's pseudonym: check the identifier's spelling.</EmptyState>;
  const rows = [...data].sort((a, b) => b.recordedAt.localeCompare(a.recordedAt));
  return (
    <>
      <Current history={data} />
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">Consent ledger of the subject, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Recorded</th>
              <th scope="col">Purpose</th>
              <th scope="col">Decision</th>
              <th scope="col">Method</th>
              <th scope="col">Notice version</th>
              <th scope="col">Channel · source</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.id}>
                <td>
                  <Time at={c.recordedAt} mode="absolute" />
                </td>
                <td className="mono">{c.purpose}</td>
                <td>
                  <span className={`badge ${c.granted ? 'ok' : 'critical'}`}>{c.granted ? 'Granted' : 'Not granted'}</span>
                </td>
                <td>{METHOD[c.method] ?? c.method}</td>
                <td className="mono">{c.noticeVersion}</td>
                <td>
                  {c.channel} · <span className="muted">{c.source}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function ConsentTab() {
  const search = useSearch({ from: '/app/privacy' });
  const navigate = useNavigate({ from: '/privacy' });
  const [value, setValue] = useState(search.subject ?? '');
  return (
    <div className="panel">
      <form
        className="form-row"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          void navigate({ search: (s) => ({ ...s, subject: value.trim() || undefined }) });
        }}
      >
        <div className="field grow">
          <label htmlFor="consent-subject">Subject identifier</label>
          <input id="consent-subject" value={value} onChange={(e) => setValue(e.target.value)} placeholder="e.g. ada@example.com" autoComplete="off" />
          <span className="hint">gdpr finds the subject by its keyed pseudonym: the ledger holds no raw identifier.</span>
        </div>
        <button type="submit" className="primary">
          Look up
        </button>
      </form>
      {search.subject ? <History subject={search.subject} /> : <p className="muted">Enter a subject's identifier to see their consent history.</p>}
    </div>
  );
}
