// /incidents/$incidentId: one incident — status, owner, its alerts (each with the timeline around it),
// how long acknowledging and resolving took, and the activity log with notes.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { useCan } from '../../app/session';
import { sessionQuery } from '../../app/session';
import { Loading } from '../../components/loading';
import { ProblemMessage } from '../../components/problem';
import { Time } from '../../components/time';
import { aroundAlert, formatDuration, incidentApi, incidentQuery, incidentsKey, type IncidentActivity, type IncidentDetail, type IncidentStatus } from './queries';
import './incidents.css';

export function IncidentPage() {
  const { incidentId } = useParams({ from: '/app/incidents/$incidentId' });
  const { data, error, isPending } = useQuery(incidentQuery(incidentId));
  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link to="/incidents/list">Incidents</Link> <span aria-hidden="true">/</span> <span>{data?.title ?? '…'}</span>
      </nav>
      <ProblemMessage error={error} title="Could not load the incident" />
      {isPending ? <Loading /> : null}
      {data ? <Incident incident={data} /> : null}
    </>
  );
}

function Incident({ incident: i }: { incident: IncidentDetail }) {
  const canWrite = useCan('write');
  const client = useQueryClient();
  const { data: session } = useQuery(sessionQuery);
  const change = useMutation({
    mutationFn: (patch: { status?: IncidentStatus; ownerId?: string | null }) => incidentApi.change(i.id, patch),
    onSuccess: (next) => {
      client.setQueryData(incidentQuery(i.id).queryKey, next);
      void client.invalidateQueries({ queryKey: [...incidentsKey, 'list'] });
    },
  });
  const me = session?.user.id;
  const window = { from: new Date(Date.parse(i.startedAt) - 30 * 60_000).toISOString(), to: new Date((i.resolvedAt ? Date.parse(i.resolvedAt) : Date.now()) + 30 * 60_000).toISOString() };
  return (
    <>
      <div className="incident-head">
        <div>
          <h1>{i.title}</h1>
          <div className="incident-badges">
            <span className={`badge ${i.severity}`}>{i.severity}</span>
            <span className={`status-pill status-${i.status}`} data-testid="incident-status">
              {i.status}
            </span>
            <span className="muted">
              opened <Time at={i.openedAt} /> by {i.openedBy?.name || 'someone'}
            </span>
          </div>
        </div>
        {canWrite ? (
          <div className="actions">
            {i.status === 'open' ? (
              <button type="button" onClick={() => change.mutate({ status: 'acknowledged' })} disabled={change.isPending}>
                Acknowledge
              </button>
            ) : null}
            {i.status !== 'resolved' ? (
              <button type="button" className="primary" onClick={() => change.mutate({ status: 'resolved' })} disabled={change.isPending}>
                Resolve
              </button>
            ) : (
              <button type="button" onClick={() => change.mutate({ status: 'open' })} disabled={change.isPending}>
                Reopen
              </button>
            )}
            {me && i.owner?.id !== me ? (
              <button type="button" onClick={() => change.mutate({ ownerId: me })} disabled={change.isPending}>
                Take ownership
              </button>
            ) : null}
            {i.owner && i.owner.id === me ? (
              <button type="button" onClick={() => change.mutate({ ownerId: null })} disabled={change.isPending}>
                Release ownership
              </button>
            ) : null}
          </div>
        ) : null}
      </div>
      <ProblemMessage error={change.error} title="Not changed" />
      <div className="incident-grid">
        <div>
          <section className="panel" aria-labelledby="incident-facts">
            <h2 id="incident-facts">Summary</h2>
            <dl className="facts">
              <dt>Started</dt>
              <dd>
                <Time at={i.startedAt} mode="absolute" />
              </dd>
              <dt>Owner</dt>
              <dd>{i.owner ? i.owner.name || i.owner.email : <span className="muted">nobody</span>}</dd>
              <dt>Acknowledged</dt>
              <dd>{i.acknowledgedAt ? <Time at={i.acknowledgedAt} mode="absolute" /> : <span className="muted">not yet</span>}</dd>
              <dt>Resolved</dt>
              <dd>{i.resolvedAt ? <Time at={i.resolvedAt} mode="absolute" /> : <span className="muted">not yet</span>}</dd>
              <dt>Time to acknowledge</dt>
              <dd data-testid="time-to-acknowledge">{formatDuration(i.timeToAcknowledgeSeconds)}</dd>
              <dt>Time to resolve</dt>
              <dd data-testid="time-to-resolve">{formatDuration(i.timeToResolveSeconds)}</dd>
            </dl>
            <Link className="button" to="/incidents" search={window}>
              Timeline of this incident
            </Link>
          </section>
          <section className="panel" aria-labelledby="incident-alerts">
            <h2 id="incident-alerts">Alerts ({i.alerts.length})</h2>
            {i.alerts.length ? (
              <ul className="incident-alerts">
                {i.alerts.map((a) => {
                  const around = aroundAlert(a.startsAt);
                  return (
                    <li key={a.alertId}>
                      <span className={`badge ${a.severity}`}>{a.severity}</span>
                      <Link to="/alerts" search={{ alert: a.alertId }}>
                        {a.name}
                      </Link>
                      <span className="muted">
                        <Time at={a.startsAt} />
                      </span>
                      <Link to="/incidents" search={{ ...around, alert: a.alertId, at: a.startsAt }}>
                        Timeline ±30 min
                      </Link>
                    </li>
                  );
                })}
              </ul>
            ) : (
              <p className="muted">Opened by hand: no alert attached.</p>
            )}
          </section>
        </div>
        <section className="panel" aria-labelledby="incident-activity">
          <h2 id="incident-activity">Activity</h2>
          <ol className="activity" aria-label="Activity, oldest first">
            {i.activity.map((a) => (
              <li key={a.id} className={`activity-${a.kind}`}>
                <span className="activity-actor">{a.actor.name}</span> <ActivityText a={a} incident={i} />{' '}
                <span className="muted">
                  <Time at={a.at} />
                </span>
              </li>
            ))}
          </ol>
          {canWrite ? <NoteForm incidentId={i.id} /> : null}
        </section>
      </div>
    </>
  );
}

function ActivityText({ a, incident }: { a: IncidentActivity; incident: IncidentDetail }) {
  const d = a.detail;
  switch (a.kind) {
    case 'opened':
      return <span>opened the incident{Array.isArray(d.alerts) && d.alerts.length ? ` from ${d.alerts.length} alert${d.alerts.length > 1 ? 's' : ''}` : ''}</span>;
    case 'status':
      return (
        <span>
          changed the status from <strong>{String(d.from)}</strong> to <strong>{String(d.to)}</strong>
          {d.to === 'resolved' ? ` (acknowledged after ${formatDuration(d.timeToAcknowledgeSeconds as number)}, resolved after ${formatDuration(d.timeToResolveSeconds as number)})` : ''}
        </span>
      );
    case 'owner':
      return <span>{d.to || d.ownerId ? `made ${(d.to ?? d.ownerId) === incident.owner?.id ? (incident.owner?.name || incident.owner?.email) : 'someone'} the owner` : 'released ownership'}</span>;
    case 'note':
      return (
        <span>
          added a note
          <blockquote className="note">{String(d.text)}</blockquote>
        </span>
      );
    case 'title':
      return <span>changed {d.to ? `the title to “${String(d.to)}”` : `the severity to ${String(d.severityTo)}`}</span>;
    case 'alerts':
      return <span>attached {Array.isArray(d.added) ? d.added.length : 0} alert(s)</span>;
  }
}

function NoteForm({ incidentId }: { incidentId: string }) {
  const client = useQueryClient();
  const [text, setText] = useState('');
  const add = useMutation({
    mutationFn: () => incidentApi.note(incidentId, text),
    onSuccess: (next) => {
      client.setQueryData(incidentQuery(incidentId).queryKey, next);
      setText('');
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (text.trim()) add.mutate();
  };
  return (
    <form className="note-form" onSubmit={submit}>
      <div className="field">
        <label htmlFor="incident-note">Add a note</label>
        <textarea id="incident-note" rows={3} value={text} onChange={(e) => setText(e.target.value)} placeholder="What you found, what you did" />
      </div>
      <button type="submit" disabled={add.isPending || !text.trim()}>
        Add note
      </button>
      <ProblemMessage error={add.error} title="Note not added" />
    </form>
  );
}
