// The alert grid (Karma-style): open alerts grouped by a label or by receiver, filtered by label matchers
// from the URL, with toggles for silenced, inhibited and acknowledged alerts, a 24-hour strip per alert,
// and acknowledge / silence on one alert or a selection. New, changed and resolved alerts arrive through
// the stream (it invalidates the 'alerting' queries), without a reload.
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useMemo, useState } from 'react';
import { useCan } from '../../app/session';
import { EmptyState } from '../../components/empty-state';
import { formatMatchers, LabelMatcherInput, matchersFor, matchesAll, tryParseMatchers } from '../../components/label-matcher';
import { Loading } from '../../components/loading';
import { ProblemMessage } from '../../components/problem';
import { Time } from '../../components/time';
import { AckDialog } from './ack-dialog';
import { actorName, useAlertActions } from './actions';
import { AreaTabs } from './area-tabs';
import { FiringStrip } from './firing-strip';
import { openAlertsQuery, stripsQuery, type GridAlert, type Strips } from './queries';
import './alerts.css';

const SEVERITY_ORDER: Record<string, number> = { critical: 0, warning: 1, info: 2 };
const bySeverity = (a: GridAlert, b: GridAlert) => (SEVERITY_ORDER[a.severity] ?? 3) - (SEVERITY_ORDER[b.severity] ?? 3) || b.startsAt.localeCompare(a.startsAt);
const COMMON_GROUPS = ['alertname', 'severity', 'service', 'team', 'database_id', 'instance'];

interface Group {
  key: string;
  title: string;
  alerts: GridAlert[];
}

function groupAlerts(alerts: GridAlert[], by: string): Group[] {
  const groups = new Map<string, GridAlert[]>();
  for (const a of alerts) {
    const keys = by === 'receiver' ? (a.receivers.length ? a.receivers : ['']) : [a.labels[by] ?? ''];
    for (const k of keys) groups.set(k, [...(groups.get(k) ?? []), a]);
  }
  return [...groups.entries()]
    .map(([key, list]) => ({ key, title: key, alerts: list.sort(bySeverity) }))
    .sort((x, y) => bySeverity(x.alerts[0]!, y.alerts[0]!) || y.alerts.length - x.alerts.length || x.key.localeCompare(y.key));
}

export function AlertsPage() {
  const search = useSearch({ from: '/app/alerts' });
  const navigate = useNavigate({ from: '/alerts' });
  const canWrite = useCan('write');
  const { data, error, isPending } = useQuery(openAlertsQuery);
  const { data: strips } = useQuery(stripsQuery);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [acking, setAcking] = useState<string[] | null>(null);
  const { acknowledge } = useAlertActions();

  const groupBy = search.groupBy ?? 'alertname';
  const showSilenced = search.silenced ?? false;
  const showInhibited = search.inhibited ?? false;
  const showAcked = search.acknowledged ?? search.state !== 'firing';
  const filterText = [search.filter, search.severity ? `severity="${search.severity}"` : undefined].filter(Boolean).join(', ');
  const parsed = tryParseMatchers(filterText);

  const all = useMemo(() => data ?? [], [data]);
  const visible = all.filter(
    (a) =>
      (showSilenced || !a.silencedBy.length) &&
      (showInhibited || !a.inhibitedBy.length) &&
      (showAcked || a.state !== 'acknowledged') &&
      matchesAll(parsed.matchers, a.labels),
  );
  const groups = groupAlerts(visible, groupBy);
  const labelNames = useMemo(() => [...new Set([...COMMON_GROUPS, ...all.flatMap((a) => Object.keys(a.labels))])].sort(), [all]);
  const hidden = { silenced: all.filter((a) => a.silencedBy.length).length, inhibited: all.filter((a) => a.inhibitedBy.length).length, acknowledged: all.filter((a) => a.state === 'acknowledged').length };
  const selection = visible.filter((a) => selected.has(a.id));
  const set = (patch: Partial<typeof search>) => navigate({ search: (s) => ({ ...s, ...patch }), replace: true });

  const toggle = (ids: string[], on: boolean) =>
    setSelected((prev) => {
      const next = new Set(prev);
      for (const id of ids) if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const silenceSelection = (alerts: GridAlert[]) =>
    navigate({ to: '/alerts/silences', search: { edit: 'new', matchers: formatMatchers(matchersFor(alerts.map((a) => a.labels))), from: alerts.length === 1 ? alerts[0]!.id : undefined } });

  return (
    <>
      <div className="page-head">
        <h1>Alerts</h1>
        <Counts alerts={all} />
      </div>
      <AreaTabs current="/alerts" />
      <div className="panel grid-toolbar">
        <div className="grid-filter">
          <LabelMatcherInput label="Filter by labels" value={search.filter ?? ''} onChange={(t) => set({ filter: t || undefined })} />
        </div>
        <div className="field">
          <label htmlFor="group-by">Group by</label>
          <select id="group-by" value={groupBy} onChange={(e) => set({ groupBy: e.target.value === 'alertname' ? undefined : e.target.value })}>
            <option value="receiver">receiver</option>
            {labelNames.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </div>
        <fieldset className="toggles">
          <legend>Show</legend>
          <label>
            <input type="checkbox" checked={showSilenced} onChange={(e) => set({ silenced: e.target.checked || undefined })} /> Silenced <span className="muted">({hidden.silenced})</span>
          </label>
          <label>
            <input type="checkbox" checked={showInhibited} onChange={(e) => set({ inhibited: e.target.checked || undefined })} /> Inhibited <span className="muted">({hidden.inhibited})</span>
          </label>
          <label>
            <input type="checkbox" checked={showAcked} onChange={(e) => set({ acknowledged: e.target.checked ? undefined : false, state: undefined })} /> Acknowledged{' '}
            <span className="muted">({hidden.acknowledged})</span>
          </label>
        </fieldset>
      </div>
      {search.severity ? (
        <p className="notice">
          Showing severity <strong>{search.severity}</strong> only.{' '}
          <Link from="/alerts" to="/alerts" search={(s) => ({ ...s, severity: undefined })}>
            Show every severity
          </Link>
        </p>
      ) : null}
      <ProblemMessage error={error} title="Could not load alerts" />
      {isPending ? <Loading what="Loading alerts…" /> : null}
      {canWrite && selection.length ? (
        <div className="selection-bar" role="region" aria-label="Selection">
          <strong>{selection.length} selected</strong>
          <button type="button" className="primary" onClick={() => setAcking(selection.filter((a) => a.state === 'firing').map((a) => a.id))} disabled={!selection.some((a) => a.state === 'firing')}>
            Acknowledge selected
          </button>
          <button type="button" onClick={() => silenceSelection(selection)}>
            Silence selected…
          </button>
          <button type="button" onClick={() => setSelected(new Set())}>
            Clear selection
          </button>
        </div>
      ) : null}
      {data && !visible.length ? (
        <EmptyState title={all.length ? 'No open alert matches these filters.' : 'Nothing is firing.'}>
          {all.length ? 'Clear a matcher, or show silenced, inhibited or acknowledged alerts.' : 'New alerts appear here as they fire, without a reload.'}
        </EmptyState>
      ) : null}
      <div className="alert-groups">
        {groups.map((g) => (
          <section key={g.key} className="panel alert-group" aria-label={`${groupBy} ${g.title || '(none)'}`}>
            <header className="group-head">
              {canWrite ? (
                <input
                  type="checkbox"
                  aria-label={`Select every alert of ${groupBy} ${g.title || '(none)'}`}
                  checked={g.alerts.every((a) => selected.has(a.id))}
                  onChange={(e) => toggle(
                    g.alerts.map((a) => a.id),
                    e.target.checked,
                  )}
                />
              ) : null}
              <h2>
                <span className="muted">{groupBy}</span> {g.title ? <span className="mono">{g.title}</span> : <span className="muted">(none)</span>}
              </h2>
              <SeverityCounts alerts={g.alerts} />
            </header>
            <ul className="alert-rows">
              {g.alerts.map((a) => (
                <AlertRow
                  key={a.id}
                  alert={a}
                  groupBy={groupBy}
                  strips={strips}
                  canWrite={canWrite}
                  selected={selected.has(a.id)}
                  onSelect={(on) => toggle([a.id], on)}
                  onAck={() => setAcking([a.id])}
                  onSilence={() => silenceSelection([a])}
                  onLabel={(name, value) => set({ filter: formatMatchers([...tryParseMatchers(search.filter ?? '').matchers.filter((m) => m.name !== name), { name, op: '=', value }]) })}
                />
              ))}
            </ul>
          </section>
        ))}
      </div>
      <AckDialog
        open={acking !== null}
        count={acking?.length ?? 0}
        busy={acknowledge.isPending}
        error={acknowledge.error}
        onCancel={() => setAcking(null)}
        onConfirm={(note) =>
          acknowledge.mutate(
            { ids: acking ?? [], note },
            {
              onSuccess: () => {
                setAcking(null);
                setSelected(new Set());
              },
            },
          )
        }
      />
    </>
  );
}

function Counts({ alerts }: { alerts: GridAlert[] }) {
  const firing = alerts.filter((a) => a.state === 'firing' && !a.silencedBy.length && !a.inhibitedBy.length);
  const crit = firing.filter((a) => a.severity === 'critical').length;
  return (
    <p className="head-counts" aria-label="Alert counts">
      <span className={`count-pill ${crit ? 'critical' : ''}`}>
        <strong>{crit}</strong> critical firing
      </span>
      <span className="count-pill">
        <strong>{firing.length}</strong> firing
      </span>
      <span className="count-pill">
        <strong>{alerts.length}</strong> open
      </span>
    </p>
  );
}

function SeverityCounts({ alerts }: { alerts: GridAlert[] }) {
  const counts = new Map<string, number>();
  for (const a of alerts) counts.set(a.severity, (counts.get(a.severity) ?? 0) + 1);
  return (
    <span className="group-counts">
      {[...counts.entries()]
        .sort((x, y) => (SEVERITY_ORDER[x[0]] ?? 3) - (SEVERITY_ORDER[y[0]] ?? 3))
        .map(([s, n]) => (
          <span key={s} className={`badge ${s}`}>
            {n} {s}
          </span>
        ))}
    </span>
  );
}

function AlertRow(props: {
  alert: GridAlert;
  groupBy: string;
  strips: Strips | undefined;
  canWrite: boolean;
  selected: boolean;
  onSelect: (on: boolean) => void;
  onAck: () => void;
  onSilence: () => void;
  onLabel: (name: string, value: string) => void;
}) {
  const a = props.alert;
  const name = a.labels.alertname ?? a.fingerprint;
  const strip = props.strips?.items.find((s) => s.fingerprint === a.fingerprint);
  const labels = Object.entries(a.labels).filter(([k]) => k !== props.groupBy && k !== 'alertname' && k !== 'severity');
  return (
    <li className={`alert-row sev-${a.severity}${props.selected ? ' selected' : ''}`} data-testid="alert-row" data-fingerprint={a.fingerprint}>
      {props.canWrite ? <input type="checkbox" aria-label={`Select ${name}`} checked={props.selected} onChange={(e) => props.onSelect(e.target.checked)} /> : null}
      <div className="alert-main">
        <div className="alert-title">
          <span className={`badge ${a.severity}`}>{a.severity}</span>
          <Link to="/alerts/$alertId" params={{ alertId: a.id }} className="alert-name">
            {name}
          </Link>
          {a.state === 'acknowledged' ? (
            <span className="badge ok" title={a.acknowledgedAt ?? undefined}>
              acknowledged by {actorName(a.acknowledgedBy)}
            </span>
          ) : null}
          {a.silencedBy.length ? <span className="badge">silenced</span> : null}
          {a.inhibitedBy.length ? <span className="badge">inhibited</span> : null}
        </div>
        {a.annotations.summary ? <div className="alert-summary">{a.annotations.summary}</div> : null}
        <ul className="label-chips" aria-label={`Labels of ${name}`}>
          {labels.map(([k, v]) => (
            <li key={k}>
              <button type="button" className="label-chip mono" title={`Filter by ${k}="${v}"`} onClick={() => props.onLabel(k, v)}>
                <span className="label-name">{k}</span>
                <span className="label-value">{v}</span>
              </button>
            </li>
          ))}
        </ul>
      </div>
      <div className="alert-side">
        {props.strips ? (
          <FiringStrip intervals={strip?.intervals ?? []} from={Date.parse(props.strips.from)} to={Date.parse(props.strips.to)} severity={a.severity} name={name} />
        ) : null}
        <span className="muted alert-since">
          since <Time at={a.startsAt} />
        </span>
      </div>
      {props.canWrite ? (
        <div className="alert-actions">
          {a.state === 'firing' ? (
            <button type="button" onClick={props.onAck} aria-label={`Acknowledge ${name}`}>
              Acknowledge
            </button>
          ) : null}
          <button type="button" onClick={props.onSilence} aria-label={`Silence ${name}`}>
            Silence
          </button>
        </div>
      ) : null}
    </li>
  );
}
