// Which catalog events the incident timeline keeps, and how each one reads there: its lane, kind,
// severity, the entity it is about, a title and the console page it links to. Plain functions over
// envelopes; the stored payload is the stream's projection (projection.ts), so the history holds
// nothing a signed-in reader of the tenant may not see live.
import type { Envelope } from '@vigil/events';

export const LANES = ['alerts', 'errors', 'database', 'recovery', 'privacy'] as const;
export type Lane = (typeof LANES)[number];
export type HistorySeverity = 'ok' | 'info' | 'warning' | 'critical';

export interface HistoryEntry {
  eventId: string;
  occurredAt: string;
  tenantId: string;
  type: string;
  source: string;
  lane: Lane;
  kind: string;
  severity: HistorySeverity;
  subjectId: string;
  title: string;
  /** The number the lane plots: health score, events accepted, z-score. */
  value: number | null;
  link: string | null;
  data: Record<string, unknown>;
}

type Data = Record<string, unknown>;
type Reading = Omit<HistoryEntry, 'eventId' | 'occurredAt' | 'tenantId' | 'type' | 'source' | 'data'> & { at?: unknown };

const s = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : fallback);
const n = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const q = (params: Record<string, string>) => new URLSearchParams(params).toString();
const severityOf = (v: unknown): HistorySeverity => (v === 'critical' || v === 'warning' || v === 'info' ? v : 'info');
const issueLink = (d: Data) => `/errors?${q({ project: s(d.projectId), issue: s(d.issueId) })}`;

/** The kinds whose value is a series (drawn as a line), not a discrete event (drawn as a mark). */
export const SERIES_KINDS = ['health.scored', 'errors.accepted'] as const;

const READERS: Record<string, (d: Data) => Reading | undefined> = {
  AlertStateChanged: (d) => {
    const name = s((d.labels as Data | undefined)?.alertname, s(d.fingerprint));
    const state = s(d.state);
    return {
      lane: 'alerts',
      kind: `alert.${state}`,
      severity: state === 'resolved' ? 'ok' : severityOf(d.severity),
      subjectId: s(d.alertId),
      title: `${name} ${state}`,
      value: null,
      link: `/alerts?${q({ alert: s(d.alertId) })}`,
      at: d.changedAt,
    };
  },
  NotificationDeadLettered: (d) => ({
    lane: 'alerts',
    kind: 'notification.dead-lettered',
    severity: 'warning',
    subjectId: s(d.notificationId),
    title: `Notification to ${s(d.receiver)} gave up after ${s(d.attempts)} attempts`,
    value: null,
    link: null,
    at: d.deadAt,
  }),
  IssueOpened: (d) => ({ lane: 'errors', kind: 'issue.opened', severity: d.level === 'fatal' ? 'critical' : 'warning', subjectId: s(d.issueId), title: `New issue: ${s(d.title)}`, value: n(d.count), link: issueLink(d), at: d.firstSeen }),
  IssueRegressed: (d) => ({ lane: 'errors', kind: 'issue.regressed', severity: 'warning', subjectId: s(d.issueId), title: `Regressed${d.release ? ` in ${s(d.release)}` : ''}: ${s(d.title)}`, value: n(d.count), link: issueLink(d) }),
  ErrorSpikeDetected: (d) => ({ lane: 'errors', kind: 'error.spike', severity: 'critical', subjectId: s(d.issueId), title: `Error spike (z ${s(d.zScore)}): ${s(d.title)}`, value: n(d.zScore), link: issueLink(d), at: d.windowStart }),
  ErrorEventsProcessed: (d) => ({ lane: 'errors', kind: 'errors.accepted', severity: 'info', subjectId: s(d.projectId), title: `${s(d.eventCount)} error events`, value: n(d.eventCount), link: `/errors?${q({ project: s(d.projectId) })}`, at: d.lastReceivedAt }),
  HealthScored: (d) => ({
    lane: 'database',
    kind: 'health.scored',
    severity: d.status === 'critical' ? 'critical' : d.status === 'warning' ? 'warning' : 'ok',
    subjectId: s(d.databaseId),
    title: `${s(d.databaseName)} health ${s(d.score)}`,
    value: n(d.score),
    link: `/database?${q({ db: s(d.databaseId) })}`,
    at: d.scoredAt,
  }),
  SlowQueryDetected: (d) => ({
    lane: 'database',
    kind: 'query.slow',
    severity: severityOf(d.severity),
    subjectId: s(d.databaseId),
    title: `Slow query on ${s(d.databaseName)}: ${Math.round(n(d.meanMs) ?? 0)} ms mean`,
    value: n(d.meanMs),
    link: `/database?${q({ db: s(d.databaseId) })}`,
    at: d.detectedAt,
  }),
  BackupFinished: (d) => ({
    lane: 'recovery',
    kind: `backup.${s(d.outcome)}`,
    severity: d.outcome === 'failed' ? 'critical' : 'ok',
    subjectId: s(d.policyId),
    title: `Backup of ${s(d.database)} ${s(d.outcome)}`,
    value: n(d.durationMs),
    link: `/recovery?${q({ policy: s(d.policyId) })}`,
    at: d.finishedAt,
  }),
  VerificationFinished: (d) => ({
    lane: 'recovery',
    kind: `verification.${s(d.outcome)}`,
    severity: d.outcome === 'failed' ? 'critical' : 'ok',
    subjectId: s(d.policyId),
    title: `${d.kind === 'drill' ? 'Restore drill' : 'Restore verification'} of ${s(d.database)} ${s(d.outcome)}`,
    value: n(d.rtoSeconds),
    link: `/recovery?${q({ policy: s(d.policyId) })}`,
    at: d.finishedAt,
  }),
  RecoveryObjectiveBreached: (d) => ({
    lane: 'recovery',
    kind: 'objective.breached',
    severity: 'critical',
    subjectId: s(d.policyId),
    title: `${s(d.objective).toUpperCase()} of ${s(d.database)} breached: ${Math.round(n(d.actualSeconds) ?? 0)} s over a ${Math.round(n(d.targetSeconds) ?? 0)} s target`,
    value: n(d.actualSeconds),
    link: `/recovery?${q({ policy: s(d.policyId) })}`,
    at: d.detectedAt,
  }),
  GdprDeadlineWarning: (d) => {
    const breach = d.subject === 'breach';
    return {
      lane: 'privacy',
      kind: `${breach ? 'breach' : 'request'}.deadline-${s(d.state)}`,
      severity: d.state === 'missed' ? 'critical' : 'warning',
      subjectId: s(d.refId),
      title: `${breach ? 'Breach notification' : 'Subject request'} deadline ${s(d.state)}: ${s(d.detail)}`,
      value: null,
      link: `/privacy?${q(breach ? { tab: 'breaches', breach: s(d.refId) } : { tab: 'requests', request: s(d.refId) })}`,
    };
  },
};

/** The event types the history consumer subscribes to. */
export const HISTORY_TYPES = Object.keys(READERS);

/**
 * The history row of an envelope whose payload was already projected for the browser, or undefined
 * when the timeline does not show its type. The row's time is when the thing happened as the
 * payload says (changedAt, scoredAt…), else the envelope's occurredAt.
 */
export function historyEntryOf(envelope: Envelope<Data>): HistoryEntry | undefined {
  const read = READERS[envelope.type];
  const reading = read?.(envelope.data);
  if (!reading) return undefined;
  const { at, ...rest } = reading;
  const stated = typeof at === 'string' ? Date.parse(at) : NaN;
  const occurredAt = Number.isFinite(stated) ? new Date(stated).toISOString() : envelope.occurredAt;
  return {
    ...rest,
    title: rest.title.slice(0, 300),
    eventId: envelope.id,
    occurredAt,
    tenantId: envelope.tenantId,
    type: envelope.type,
    source: envelope.source,
    data: envelope.data,
  };
}

/** UTC day [start, end) holding `at`: the partition it belongs to. */
export function dayOf(at: Date): { start: Date; end: Date; suffix: string } {
  const start = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const end = new Date(start.getTime() + 86_400_000);
  return { start, end, suffix: start.toISOString().slice(0, 10).replace(/-/g, '') };
}

/** The day partitions wholly older than the retention cutoff (their whole range is before it). */
export function expiredPartitions(suffixes: string[], cutoff: Date): string[] {
  return suffixes.filter((x) => /^\d{8}$/.test(x) && dayOf(new Date(`${x.slice(0, 4)}-${x.slice(4, 6)}-${x.slice(6, 8)}T00:00:00Z`)).end.getTime() <= cutoff.getTime());
}

/**
 * Whether the per-minute totals give a window's buckets exactly: its ends and its bucket size fall on whole
 * minutes, so every minute lies inside one bucket and inside the window.
 */
export function onWholeMinutes(from: Date, to: Date, bucketMs: number): boolean {
  const MINUTE = 60_000;
  return from.getTime() % MINUTE === 0 && to.getTime() % MINUTE === 0 && bucketMs % MINUTE === 0;
}
