// The privacy area's server state: gdpr's subject requests, consent ledger, records of processing,
// breach register, audit chain and compliance report, all under the ['gdpr', …] key the stream
// invalidates (SubjectRequestReceipt → ['gdpr', 'subject-requests'], ProcessingRecorded → ['gdpr', 'audit']).
import { queryOptions } from '@tanstack/react-query';
import { allItems, gdpr, unwrap, type Page } from '../../api/services';
import type { paths } from '../../api/openapi/gdpr';

type Ok<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { responses: { 200: { content: { 'application/json': infer T } } } } ? T : never;
type ItemOf<T> = T extends Page<infer I> ? I : never;

export type SubjectRequest = ItemOf<Ok<'/v1/subject-requests', 'get'>>;
export type RequestDetail = Ok<'/v1/subject-requests/{requestId}', 'get'>;
export type Receipt = RequestDetail['receipts'][number];
export type AuditVerification = Ok<'/v1/audit/verify', 'get'>;
export type Breach = Ok<'/v1/breaches/{breachId}', 'get'>;
export type Art33Field = Breach['missingFields'][number];
export type Consent = ItemOf<Ok<'/v1/subjects/{subjectId}/consents', 'get'>>;

/** Every request of the tenant, newest first (the queue filters and sorts in the page, from the URL). */
export const subjectRequestsQuery = queryOptions({
  queryKey: ['gdpr', 'subject-requests', 'all'],
  queryFn: () => allItems((cursor) => gdpr.GET('/v1/subject-requests', { params: { query: { cursor, limit: 500 } } })),
});

export const subjectRequestQuery = (requestId: string) =>
  queryOptions({
    queryKey: ['gdpr', 'subject-requests', 'detail', requestId],
    queryFn: () => unwrap(gdpr.GET('/v1/subject-requests/{requestId}', { params: { path: { requestId } } })),
  });

export const consentHistoryQuery = (subjectId: string) =>
  queryOptions({
    queryKey: ['gdpr', 'consents', subjectId],
    queryFn: () => allItems((cursor) => gdpr.GET('/v1/subjects/{subjectId}/consents', { params: { path: { subjectId }, query: { cursor, limit: 500 } } })),
  });

/** gdpr documents no response schema for the records of processing: its ProcessingRecordRow, by hand. */
export interface ProcessingRecord {
  id: string;
  name: string;
  controller: { name: string; contact: string; representative?: string; dpo?: string };
  purposes: string[];
  dataSubjectCategories: string[];
  dataCategories: string[];
  recipients: string[];
  thirdCountryTransfers: { country: string; safeguards: string }[];
  retention: string;
  securityMeasures: string;
  createdAt: string;
  updatedAt: string;
}
export type ProcessingRecordInput = Omit<ProcessingRecord, 'id' | 'name' | 'createdAt' | 'updatedAt'>;

export const processingRecordsQuery = queryOptions({
  queryKey: ['gdpr', 'processing-records'],
  queryFn: async () => (await allItems((cursor) => gdpr.GET('/v1/processing-records', { params: { query: { cursor, limit: 500 } } }) as never)) as ProcessingRecord[],
});

export const breachesQuery = queryOptions({
  queryKey: ['gdpr', 'breaches'],
  queryFn: () => allItems((cursor) => gdpr.GET('/v1/breaches', { params: { query: { cursor, limit: 1000 } } })),
});

/** gdpr documents no response schema for the log's entries: its AuditEntryRow with parsed content, by hand. */
export interface AuditEntry {
  seq: number;
  eventId: string;
  topic: string;
  subjectRef: string | null;
  content: unknown;
  prevHash: string;
  hash: string;
  recordedAt: string;
}

export interface AuditFilter {
  topic?: string;
  subject?: string;
  /** nextCursor of the page before (keyset, in chain order). */
  cursor?: string;
}

/** One page of the log (100 entries in chain order). */
export const auditEntriesQuery = (f: AuditFilter) =>
  queryOptions({
    queryKey: ['gdpr', 'audit', 'entries', f],
    queryFn: async () =>
      (await unwrap(gdpr.GET('/v1/audit/entries', { params: { query: { cursor: f.cursor, limit: 100, topic: f.topic, subjectId: f.subject } } }))) as unknown as Page<AuditEntry>,
  });

export const auditVerifyQuery = queryOptions({
  queryKey: ['gdpr', 'audit', 'verify'],
  queryFn: () => unwrap(gdpr.GET('/v1/audit/verify')),
});

/** gdpr documents no response schema for its compliance report: the shape of operations/reports.ts, by hand. */
export interface ComplianceReport {
  tenantId: string;
  generatedAt: string;
  consent: { purpose: string; subjects: number; granted: number; rate: number }[];
  requests: {
    byKindAndState: { kind: string; state: string; count: number; onTime: number; overdue: number; avgDays: number | null }[];
    total: number;
    completed: number;
    completedOnTimeRate: number | null;
    overdue: { id: string; kind: string; state: string; deadline: string }[];
  };
  breaches: { total: number; notified: number; notifiedInTime: number; notNotified: number; overdue: number };
  auditChain: { valid: boolean; entries: number; checkpoints: { total: number; verified: number; latestSeq: number | null }; firstBroken: AuditVerification['firstBroken'] };
}

export const complianceReportQuery = queryOptions({
  queryKey: ['gdpr', 'compliance-report'],
  queryFn: async () => (await unwrap(gdpr.GET('/v1/compliance-report'))) as unknown as ComplianceReport,
});

export const refuseRequest = (requestId: string, reason: string) => unwrap(gdpr.POST('/v1/subject-requests/{requestId}/refuse', { params: { path: { requestId } }, body: { reason } }));
export const extendRequest = (requestId: string, reason: string) => unwrap(gdpr.POST('/v1/subject-requests/{requestId}/extend', { params: { path: { requestId } }, body: { reason } }));
export const exportUrl = (id: string, format: 'json' | 'csv' | 'xml') => `/api/gdpr/v1/subject-requests/${encodeURIComponent(id)}/export?format=${format}`;
export const retryRequest = (requestId: string) => unwrap(gdpr.POST('/v1/subject-requests/{requestId}/retry', { params: { path: { requestId } } }));
