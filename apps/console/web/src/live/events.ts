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

interface EventMeaning {
  /** Query key prefixes this event makes stale. */
  invalidates: QueryKey[];
  summary: (d: Record<string, unknown>) => string;
}

const s = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

export const EVENT_MEANINGS: Record<string, EventMeaning> = {
  AlertStateChanged: {
    invalidates: [['alerting']],
    summary: (d) => `${s(d.severity)} alert ${s((d.labels as Record<string, string> | undefined)?.alertname) || s(d.fingerprint)} ${s(d.state)}`,
  },
  IssueOpened: { invalidates: [['errors']], summary: (d) => `New issue: ${s(d.title)}` },
  IssueRegressed: { invalidates: [['errors']], summary: (d) => `Regressed: ${s(d.title)}` },
  ErrorSpikeDetected: { invalidates: [['errors']], summary: (d) => `Error spike: ${s(d.title)}` },
  ErrorEventAccepted: { invalidates: [['errors']], summary: (d) => `Error event in project ${s(d.projectId)}${d.title ? `: ${s(d.title)}` : ''}` },
  HealthScored: { invalidates: [['perf']], summary: (d) => `${s(d.databaseName)} health ${s(d.score)} (${s(d.status)})` },
  MetricsCollected: { invalidates: [], summary: (d) => `Metrics collected from ${s(d.databaseName) || s(d.databaseId)}` },
  ApmMetricsReceived: { invalidates: [], summary: (d) => `APM metrics from ${s(d.service) || 'a service'}` },
  BackupFinished: { invalidates: [['dr']], summary: (d) => `Backup ${s(d.status) || 'finished'} for ${s(d.database) || s(d.policyId)}` },
  VerificationFinished: { invalidates: [['dr']], summary: (d) => `Restore verification ${s(d.status) || s(d.outcome) || 'finished'}` },
  RecoveryObjectiveBreached: { invalidates: [['dr']], summary: (d) => `${s(d.objective).toUpperCase() || 'Recovery objective'} breached` },
  OperationProgressed: { invalidates: [['dr']], summary: (d) => `DR ${s(d.kind) || 'operation'} ${s(d.phase) || s(d.status)}` },
  SubjectRequestIssued: { invalidates: [['gdpr']], summary: (d) => `Subject request (${s(d.kind)}) issued` },
  SubjectRequestReceipt: { invalidates: [['gdpr']], summary: (d) => `Receipt from ${s(d.service)} for a subject request` },
  GdprDeadlineWarning: { invalidates: [['gdpr']], summary: (d) => `GDPR deadline warning: ${s(d.kind) || s(d.subject)}` },
  ConsentChanged: { invalidates: [['gdpr', 'consents']], summary: (d) => `Consent ${s(d.purpose)} ${s(d.state) || s(d.granted)}` },
  DataHolderRegistered: { invalidates: [['gdpr', 'data-holders']], summary: (d) => `Data holder ${s(d.service)} registered` },
  ProcessingRecorded: { invalidates: [['gdpr', 'audit']], summary: (d) => `Audit: ${s(d.action) || s(d.activity) || 'processing recorded'}` },
};

export const STREAM_EVENT_TYPES = Object.keys(EVENT_MEANINGS);

export const summarize = (e: StreamEnvelope): string => EVENT_MEANINGS[e.type]?.summary(e.data ?? {}) ?? e.type;
