// The incidents area's server state: the console server's event history (timeline, events, what
// changed) and incidents. Types mirror apps/console/server/operations/{history,incidents}.ts.
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { call } from '../../api/console';
import { liveState } from '../../app/live-state';
import { HISTORY_KEY } from '../../live/events';
import type { Range } from './routes';
import { liveWindowRefreshMs, roundedNow, windowOf } from './timeline-window';

export const LANES = ['alerts', 'errors', 'database', 'recovery', 'privacy'] as const;
export type Lane = (typeof LANES)[number];
export type Severity = 'ok' | 'info' | 'warning' | 'critical';

export interface TimelineLane {
  lane: Lane;
  counts: [number, number, number, number][];
  total: number;
  series: { key: string; label: string; unit: string; values: (number | null)[] }[];
  marks: { at: string; kind: string; severity: Severity; title: string; link: string | null; eventId: string }[];
  marksComplete: boolean;
}
export interface Timeline {
  from: string;
  to: string;
  bucketMs: number;
  times: number[];
  lanes: TimelineLane[];
  events: number;
}
export interface HistoryEvent {
  eventId: string;
  at: string;
  lane: Lane;
  kind: string;
  type: string;
  severity: Severity;
  title: string;
  link: string | null;
  subjectId: string;
}
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Change {
  kind: 'issue-opened' | 'issue-regressed' | 'error-spike' | 'health-drop' | 'slow-query' | 'backup-failed' | 'verification-failed';
  at: string;
  title: string;
  severity: Severity;
  link: string | null;
  eventId: string;
  health?: { databaseId: string; before: number; after: number; check: { name: string; penaltyBefore: number; penaltyAfter: number; detail: string } | null };
}

export type IncidentStatus = 'open' | 'acknowledged' | 'resolved';
export interface Incident {
  id: string;
  title: string;
  severity: 'info' | 'warning' | 'critical';
  status: IncidentStatus;
  owner: { id: string; name: string; email: string } | null;
  openedBy: { id: string; name: string } | null;
  startedAt: string;
  openedAt: string;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
  timeToAcknowledgeSeconds: number | null;
  timeToResolveSeconds: number | null;
  alertCount: number;
}
export interface IncidentAlert {
  alertId: string;
  name: string;
  severity: string;
  startsAt: string;
}
export interface IncidentActivity {
  id: number;
  at: string;
  actor: { id: string | null; name: string };
  kind: 'opened' | 'status' | 'owner' | 'title' | 'note' | 'alerts';
  detail: Record<string, unknown>;
}
export interface IncidentDetail extends Incident {
  alerts: IncidentAlert[];
  activity: IncidentActivity[];
}

const qs = (params: Record<string, string | number | undefined>) =>
  new URLSearchParams(Object.entries(params).flatMap(([k, v]) => (v === undefined || v === '' ? [] : [[k, String(v)]]))).toString();

export interface WindowParams {
  from: string;
  to: string;
  lanes?: string;
}

/** The history's queries (timeline, events, what changed) start with the key the stream invalidates. */
const historyKey = HISTORY_KEY;

/** A window given by from/to, or a range ending now (taken when the timeline is read, so the clock is not in its key). */
export type TimelineWindow = { from: string; to: string } | { range: Range };

/**
 * The timeline of a window. It is read again when the stream says the history changed (an event of a lane
 * arrived: see live/stream.ts), not on a clock; a window ending now also moves on when nothing happens, once
 * per liveWindowRefreshMs (a minute for the short ranges, 1/60 of the longer ones), and never while paused.
 */
export const timelineQuery = (w: TimelineWindow & { lanes?: string; buckets?: number }) => {
  const ending = 'range' in w;
  return queryOptions({
    queryKey: [...historyKey, 'timeline', ...(ending ? ['ending-now', w.range] : [w.from, w.to]), w.lanes ?? '', w.buckets ?? 0],
    queryFn: () => {
      const { from, to } = ending ? windowOf({ range: w.range }, roundedNow(w.range)) : w;
      return call<Timeline>('GET', `/api/history/timeline?${qs({ from, to, lanes: w.lanes, buckets: w.buckets })}`);
    },
    placeholderData: keepPreviousData,
    staleTime: ending ? liveWindowRefreshMs(w.range) : 5 * 60_000,
    refetchInterval: ending ? () => (liveState().live ? liveWindowRefreshMs(w.range) : false) : false,
  });
};

export const historyEventsQuery = (w: WindowParams & { cursor?: string; limit?: number }) =>
  queryOptions({
    queryKey: [...historyKey, 'events', w.from, w.to, w.lanes ?? '', w.cursor ?? '', w.limit ?? 0],
    queryFn: () => call<Page<HistoryEvent>>('GET', `/api/history/events?${qs({ from: w.from, to: w.to, lanes: w.lanes, cursor: w.cursor, limit: w.limit })}`),
    placeholderData: keepPreviousData,
    // Read again when the stream says the history changed, like the timeline above it.
    refetchInterval: false,
  });

export const whatChangedQuery = (alert: { id: string; startsAt: string }) =>
  queryOptions({
    queryKey: [...historyKey, 'what-changed', alert.id, alert.startsAt],
    queryFn: () => call<{ from: string; to: string; items: Change[] }>('GET', `/api/history/what-changed?${qs({ at: alert.startsAt, alertId: alert.id })}`),
  });

export const incidentsKey = ['console', 'incidents'] as const;

export const incidentsQuery = (q: { status?: IncidentStatus; alertId?: string; cursor?: string }) =>
  queryOptions({
    queryKey: [...incidentsKey, 'list', q.status ?? '', q.alertId ?? '', q.cursor ?? ''],
    queryFn: () => call<Page<Incident>>('GET', `/api/incidents?${qs({ status: q.status, alertId: q.alertId, cursor: q.cursor, limit: 50 })}`),
    placeholderData: keepPreviousData,
  });

export const incidentQuery = (incidentId: string) =>
  queryOptions({
    queryKey: [...incidentsKey, 'detail', incidentId],
    queryFn: () => call<IncidentDetail>('GET', `/api/incidents/${encodeURIComponent(incidentId)}`),
  });

export const incidentApi = {
  open: (body: { title?: string; alerts: IncidentAlert[]; note?: string }) => call<IncidentDetail>('POST', '/api/incidents', body),
  change: (incidentId: string, patch: { status?: IncidentStatus; ownerId?: string | null; title?: string }) =>
    call<IncidentDetail>('PATCH', `/api/incidents/${encodeURIComponent(incidentId)}`, patch),
  note: (incidentId: string, text: string) => call<IncidentDetail>('POST', `/api/incidents/${encodeURIComponent(incidentId)}/notes`, { text }),
};

/** ±30 minutes around an alert's start: the window the alert's "Timeline" action opens. */
export const aroundAlert = (startsAt: string, minutes = 30) => {
  const t = Date.parse(startsAt);
  return { from: new Date(t - minutes * 60_000).toISOString(), to: new Date(t + minutes * 60_000).toISOString() };
};

/** "4 min 10 s", "2 h 5 min": a duration for people. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  const h = Math.floor(s / 3600);
  const m = Math.round((s % 3600) / 60);
  if (h < 48) return `${h} h${m ? ` ${m} min` : ''}`;
  return `${Math.round(h / 24)} d`;
}
