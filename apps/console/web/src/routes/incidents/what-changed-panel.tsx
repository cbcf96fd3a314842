// "What changed around this alert": the 15 minutes before an alert's start, from the console's event
// history — issues first seen or regressed, error spikes, health-score drops with the check that moved,
// new slow queries, failed backups — each linking to its own page. With the alert's incident actions:
// open an incident from it (or go to the one holding it) and the timeline ±30 minutes around it.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useCan } from '../../app/session';
import { EmptyState } from '../../components/empty-state';
import { Loading } from '../../components/loading';
import { ProblemMessage } from '../../components/problem';
import { Time } from '../../components/time';
import { PageLink } from './page-link';
import { aroundAlert, incidentApi, incidentsKey, incidentsQuery, whatChangedQuery, type Change } from './queries';
import './incidents.css';

export interface PanelAlert {
  id: string;
  startsAt: string;
  severity: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  fingerprint?: string;
}

const KIND_LABEL: Record<Change['kind'], string> = {
  'issue-opened': 'New issue',
  'issue-regressed': 'Regression',
  'error-spike': 'Error spike',
  'health-drop': 'Health drop',
  'slow-query': 'Slow query',
  'backup-failed': 'Backup failed',
  'verification-failed': 'Verification failed',
};

const before = (at: string, start: string) => {
  const s = Math.round((Date.parse(start) - Date.parse(at)) / 1000);
  if (s <= 0) return 'at the start';
  return s < 60 ? `${s} s before` : `${Math.round(s / 60)} min before`;
};

const nameOf = (a: PanelAlert) => a.labels.alertname ?? a.fingerprint ?? a.id;

export function WhatChangedPanel({ alert }: { alert: PanelAlert }) {
  const { data, error, isPending } = useQuery(whatChangedQuery(alert));
  return (
    <section className="panel what-changed" aria-labelledby={`what-changed-${alert.id}`}>
      <div className="panel-head">
        <div>
          <h2 id={`what-changed-${alert.id}`}>What changed in the 15 minutes before</h2>
          <p className="muted panel-sub">
            {nameOf(alert)} started <Time at={alert.startsAt} mode="absolute" />
          </p>
        </div>
        <AlertIncidentActions alert={alert} />
      </div>
      <ProblemMessage error={error} title="Could not read the history" />
      {isPending ? <Loading what="Reading the history…" /> : null}
      {data && !data.items.length ? (
        <EmptyState title="Nothing changed on the bus in the 15 minutes before this alert.">No new or regressed issues, spikes, health drops, slow queries or failed backups.</EmptyState>
      ) : null}
      {data?.items.length ? (
        <ul className="change-list" aria-label="Changes before the alert">
          {data.items.map((c) => (
            <li key={c.eventId} className={`change sev-${c.severity}`}>
              <span className={`badge ${c.severity === 'ok' ? 'ok' : c.severity}`}>{KIND_LABEL[c.kind]}</span>
              <span className="change-title">
                {c.link ? <PageLink to={c.link}>{c.title}</PageLink> : c.title}
                {c.health?.check ? (
                  <span className="muted change-detail">
                    {c.health.check.name.replace(/_/g, ' ')}: −{Math.round(c.health.check.penaltyBefore)} → −{Math.round(c.health.check.penaltyAfter)} points · {c.health.check.detail}
                  </span>
                ) : null}
              </span>
              <span className="muted change-when">{before(c.at, alert.startsAt)}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

/** "Open incident" (or the incident already holding the alert) and "Timeline ±30 min". */
export function AlertIncidentActions({ alert }: { alert: PanelAlert }) {
  const canWrite = useCan('write');
  const client = useQueryClient();
  const navigate = useNavigate();
  const holding = useQuery(incidentsQuery({ alertId: alert.id }));
  const open = useMutation({
    mutationFn: () => incidentApi.open({ alerts: [{ alertId: alert.id, name: nameOf(alert), severity: alert.severity, startsAt: alert.startsAt }] }),
    onSuccess: async (incident) => {
      await client.invalidateQueries({ queryKey: incidentsKey });
      await navigate({ to: '/incidents/$incidentId', params: { incidentId: incident.id } });
    },
  });
  const existing = holding.data?.items.find((i) => i.status !== 'resolved') ?? holding.data?.items[0];
  const around = aroundAlert(alert.startsAt);
  return (
    <div className="actions">
      {existing ? (
        <Link className="button" to="/incidents/$incidentId" params={{ incidentId: existing.id }}>
          Incident: {existing.title}
        </Link>
      ) : canWrite ? (
        <button type="button" className="primary" onClick={() => open.mutate()} disabled={open.isPending || holding.isPending}>
          Open incident
        </button>
      ) : null}
      <Link className="button" to="/incidents" search={{ from: around.from, to: around.to, alert: alert.id, at: alert.startsAt }}>
        Timeline ±30 min
      </Link>
      <ProblemMessage error={open.error} title="Incident not opened" />
    </div>
  );
}
