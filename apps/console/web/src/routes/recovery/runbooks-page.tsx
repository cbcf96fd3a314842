// The runbooks, rendered from dr-orchestrator's markdown. Every runbookUrl Vigil sends (events, alerts, Slack,
// PagerDuty) is <console>/runbooks/<slug>: this page, behind sign-in (a signed-out visit signs in and comes back).
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { Loading } from '../../components/loading';
import { ProblemMessage } from '../../components/problem';
import { MarkdownDocument } from './markdown-document';
import { runbookQuery, runbooksQuery, type RunbookSummary } from './queries';
import { RecoveryTabs } from './recovery-tabs';
import './recovery.css';

const byTitle = (list: RunbookSummary[] | undefined) => [...(list ?? [])].sort((a, b) => a.title.localeCompare(b.title));

export function RunbooksPage() {
  const { data, error, isPending } = useQuery(runbooksQuery);
  return (
    <>
      <header className="page-head">
        <div>
          <h1>Runbooks</h1>
          <p className="muted sub">What to do when a backup, a restore or an objective fails. Alerts and notifications link here.</p>
        </div>
      </header>
      <RecoveryTabs current="runbooks" />
      <ProblemMessage error={error} title="Could not load the runbooks" />
      {isPending ? <Loading /> : null}
      <ul className="runbook-cards">
        {byTitle(data).map((r) => (
          <li key={r.slug}>
            <Link to="/runbooks/$slug" params={{ slug: r.slug }} className="runbook-card">
              <span className="title">{r.title}</span>
              <span className="muted mono">{r.slug}</span>
              <span className="muted">
                version {r.version}
                {r.updated ? ` · updated ${r.updated}` : ''}
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}

export function RunbookPage() {
  const { slug } = useParams({ from: '/app/runbooks/$slug' });
  const list = useQuery(runbooksQuery);
  const doc = useQuery(runbookQuery(slug));
  const meta = list.data?.find((r) => r.slug === slug);
  return (
    <>
      <p className="crumbs">
        <Link to="/recovery">Recovery</Link> <span aria-hidden="true">/</span> <Link to="/runbooks">Runbooks</Link> <span aria-hidden="true">/</span> {meta?.title ?? slug}
      </p>
      <div className="runbook-layout">
        <nav className="runbook-nav panel" aria-label="All runbooks">
          <h2>Runbooks</h2>
          <ul>
            {byTitle(list.data).map((r) => (
              <li key={r.slug}>
                <Link to="/runbooks/$slug" params={{ slug: r.slug }} aria-current={r.slug === slug ? 'page' : undefined}>
                  {r.title}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="panel runbook">
          {meta ? (
            <p className="runbook-meta muted">
              <span className="badge info">runbook</span> <span className="mono">{meta.slug}</span> · version {meta.version}
              {meta.updated ? ` · updated ${meta.updated}` : ''}
            </p>
          ) : null}
          <ProblemMessage error={doc.error} title="Could not load this runbook" />
          {doc.isPending ? <Loading what="Loading the runbook…" /> : null}
          {doc.data ? <MarkdownDocument markdown={doc.data} label={meta?.title ?? slug} /> : null}
        </div>
      </div>
    </>
  );
}
