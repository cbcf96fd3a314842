// What each catalog event (libs/events) means to the browser: which cached queries it makes stale, and
// a one-line summary for the ticker. Names match the catalog's `type`.
import type { QueryKey } from '@tanstack/react-query';

export interface StreamEnvelope {
  id: string;
  type: string;
  version: number;
  source: string;
  tenantId: string;
  occurredAt: string;
  data: Record<string, unknown>;
}

/** What the ticker may look up in the cache to name things an event only identifies. */
export interface SummaryContext {
  databaseName?: (id: string) => string | undefined;
}

interface EventMeaning {
  /** Query key prefixes this event makes stale. */
  invalidates: QueryKey[];
  summary: (d: Record<string, unknown>, ctx: SummaryContext) => string;
  /** Sent every collection cycle: counted under the ticker, not listed in it (they would crowd out the rest). */
  routine?: true;
}

const s = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

const n = (v: unknown): number => (Array.isArray(v) ? v.length : 0);

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

/**
 * The console's event history (timeline, its events, what changed): every type the history consumer records
 * (server/domain/history.ts) makes it stale, so the timeline follows the bus without polling.
 */
export const HISTORY_KEY = ['console', 'history'] as const;
const H = HISTORY_KEY;

// The server forwards a projection of each event (apps/console/server/stream/projection.ts: no personal data,
// counts instead of sample/event lists); summaries use kinds, names and counts only.
export const EVENT_MEANINGS: Record<string, EventMeaning> = {
  AlertStateChanged: {
    invalidates: [['alerting'], H],
    summary: (d) => `${s(d.severity)} alert ${s((d.labels as Record<string, string> | undefined)?.alertname) || s(d.fingerprint)} ${s(d.state)}`,
  },
  NotificationDeadLettered: { invalidates: [['alerting'], H], summary: (d) => `Notification to ${s(d.receiver)} gave up after ${s(d.attempts)} attempts` },
  IssueOpened: { invalidates: [['errors'], H], summary: (d) => `New issue: ${s(d.title)}` },
  IssueRegressed: { invalidates: [['errors'], H], summary: (d) => `Regressed${d.release ? ` in ${s(d.release)}` : ''}: ${s(d.title)}` },
  ErrorSpikeDetected: { invalidates: [['errors'], H], summary: (d) => `Error spike: ${s(d.title)}` },
  ErrorEventsProcessed: { invalidates: [['errors'], H], summary: (d) => `${num(d.eventCount) || 1} error event(s) processed for project ${s(d.projectId)}` },
  HealthScored: { invalidates: [['perf', 'databases'], H], summary: (d) => `${s(d.databaseName)} health ${s(d.score)} (${s(d.status)})` },
  SlowQueryDetected: { invalidates: [['perf', 'databases'], H], summary: (d) => `New slow query on ${s(d.databaseName)}: ${Math.round(num(d.meanMs))} ms mean` },
  MetricsCollected: {
    invalidates: [],
    routine: true,
    summary: (d, ctx) => `${num(d.sampleCount)} metrics collected from ${ctx.databaseName?.(s(d.databaseId)) ?? `database ${s(d.databaseId)}`}`,
  },
  ApmMetricsReceived: { invalidates: [], routine: true, summary: (d) => `${num(d.sampleCount)} APM metrics from ${s(d.service)}` },
  BackupFinished: { invalidates: [['dr'], H], summary: (d) => `Backup of ${s(d.database)} ${s(d.outcome)}` },
  VerificationFinished: { invalidates: [['dr'], H], summary: (d) => `Restore ${s(d.kind) || 'verification'} of ${s(d.database)}: ${s(d.outcome) || 'finished'}` },
  RecoveryObjectiveBreached: { invalidates: [['dr'], H], summary: (d) => `${s(d.objective).toUpperCase()} breached for ${s(d.database)}` },
  OperationProgressed: { invalidates: [], summary: (d) => `DR ${s(d.kind)} ${s(d.phase)} ${s(d.percent)}%` },
  SubjectRequestIssued: { invalidates: [['gdpr', 'subject-requests']], summary: (d) => `Subject request (${s(d.kind)}) issued to ${n(d.expectedServices)} service(s)` },
  SubjectRequestReceipt: { invalidates: [['gdpr', 'subject-requests']], summary: (d) => `${s(d.service)}: subject request ${s(d.status)}` },
  GdprDeadlineWarning: { invalidates: [['gdpr'], H], summary: (d) => `${s(d.subject) === 'breach' ? 'Breach' : 'Subject request'} deadline ${s(d.state)}: ${s(d.detail)}` },
  ConsentChanged: { invalidates: [['gdpr', 'consents']], summary: (d) => `Consent for ${s(d.purpose)} ${d.granted ? 'given' : 'withdrawn'}` },
  DataHolderRegistered: { invalidates: [['gdpr', 'data-holders']], summary: (d) => `Data holder ${s(d.service)} registered` },
  ProcessingRecorded: { invalidates: [['gdpr', 'audit']], summary: (d) => `Audit: ${s(d.service)} ${s(d.activity)}` },
};

export const STREAM_EVENT_TYPES = Object.keys(EVENT_MEANINGS);

export const isRoutine = (type: string): boolean => EVENT_MEANINGS[type]?.routine === true;

export const summarize = (e: StreamEnvelope, ctx: SummaryContext = {}): string => EVENT_MEANINGS[e.type]?.summary(e.data ?? {}, ctx) ?? e.type;
