// Query definitions shared by the overview and the area screens: one key per service resource, so the
// stream's invalidations (live/events.ts, by service prefix) reach every screen that shows it.
import { queryOptions } from '@tanstack/react-query';
import { call } from './console';
import type { paths as ErrorsPaths } from './openapi/error-ingest';
import { alerting, allItems, dr, errors, gdpr, perf, unwrap } from './services';

export const firingAlertsQuery = queryOptions({
  queryKey: ['alerting', 'alerts', { state: 'firing' }],
  queryFn: async () => (await unwrap(alerting.GET('/v1/alerts', { params: { query: { state: 'firing', limit: 1000 } } }))).items,
});
export type Alert = Awaited<ReturnType<NonNullable<typeof firingAlertsQuery.queryFn>>>[number];

export interface FiringSummary {
  total: number;
  bySeverity: Record<string, number>;
  /** The five the overview lists: the most severe first, then the newest. */
  latest: Alert[];
  /** More than the 1,000 counted are firing. */
  truncated: boolean;
}

/**
 * The firing alerts (up to 1,000) counted by severity, with the five the overview lists, counted by the console:
 * what the overview's tile and the tab title on every screen show, a couple of kilobytes instead of every alert,
 * re-read each time the stream says an alert changed.
 */
export const firingSummaryQuery = queryOptions({
  queryKey: ['alerting', 'alerts', 'firing-summary'],
  queryFn: () => call<FiringSummary>('GET', '/api/overview/alerts'),
});

export const projectsQuery = queryOptions({
  queryKey: ['errors', 'projects'],
  queryFn: () => allItems((cursor) => errors.GET('/v1/projects', { params: { query: { cursor, limit: 500 } } })),
});
export type Project = Awaited<ReturnType<NonNullable<typeof projectsQuery.queryFn>>>[number];

export const projectKeysQuery = (projectId: string) =>
  queryOptions({
    queryKey: ['errors', 'projects', projectId, 'keys'],
    queryFn: () => allItems((cursor) => errors.GET('/v1/projects/{projectId}/keys', { params: { path: { projectId }, query: { cursor, limit: 500 } } })),
  });
export type ProjectKey = Awaited<ReturnType<NonNullable<ReturnType<typeof projectKeysQuery>['queryFn']>>>[number];

/** An issue as error-ingest lists it (the overview reads them through the console, below). */
export type Issue = ErrorsPaths['/v1/projects/{projectId}/issues']['get']['responses'][200]['content']['application/json']['items'][number];

export interface ProjectIssues24h {
  project: Project;
  newIssues: Issue[];
  regressed: Issue[];
  truncated: boolean;
}

/**
 * New (first seen) and regressed issues of the last 24 h, per project: one request, the console reads every
 * project's issues at once (server/operations/overview.ts) instead of the browser asking project by project.
 */
export const recentIssuesQuery = queryOptions({
  queryKey: ['errors', 'issues', 'last-24h'],
  queryFn: async () => (await call<{ items: ProjectIssues24h[] }>('GET', '/api/overview/issues')).items,
});

export const databasesQuery = queryOptions({
  queryKey: ['perf', 'databases'],
  queryFn: () => allItems((cursor) => perf.GET('/v1/databases', { params: { query: { cursor, limit: 1000 } } })),
});
export type Database = Awaited<ReturnType<NonNullable<typeof databasesQuery.queryFn>>>[number];

/** The latest health scores of a database (one page of 100, newest first). */
export const healthQuery = (databaseId: string) =>
  queryOptions({
    queryKey: ['perf', 'health', databaseId],
    queryFn: async () => (await unwrap(perf.GET('/v1/databases/{databaseId}/health', { params: { path: { databaseId }, query: { limit: 100 } } }))).items,
  });
export type HealthScore = Awaited<ReturnType<NonNullable<ReturnType<typeof healthQuery>['queryFn']>>>[number];

/**
 * The overview's databases with each one's latest scores, in one request (the console asks perf-collector for
 * every database's scores at once). Under ['perf', 'databases'], so the stream's health and slow-query events
 * make it stale. A database whose scores the console could not read has null: its row reads them itself.
 */
export const overviewDatabasesQuery = queryOptions({
  queryKey: ['perf', 'databases', 'with-health'],
  queryFn: () => call<{ items: Database[]; health: Record<string, HealthScore[] | null> }>('GET', '/api/overview/databases'),
});

export const policiesQuery = queryOptions({
  queryKey: ['dr', 'policies'],
  queryFn: () => allItems((cursor) => dr.GET('/v1/policies', { params: { query: { cursor, limit: 500 } } })),
});
export type Policy = Awaited<ReturnType<NonNullable<typeof policiesQuery.queryFn>>>[number];

export const objectivesQuery = (policyId: string) =>
  queryOptions({
    queryKey: ['dr', 'objectives', policyId],
    queryFn: () => unwrap(dr.GET('/v1/policies/{policyId}/objectives', { params: { path: { policyId } } })),
  });
export type Objectives = Awaited<ReturnType<NonNullable<ReturnType<typeof objectivesQuery>['queryFn']>>>;

/** The overview's backup policies with each one's objectives, in one request (like overviewDatabasesQuery). */
export const overviewPoliciesQuery = queryOptions({
  queryKey: ['dr', 'policies', 'with-objectives'],
  queryFn: () => call<{ items: Policy[]; objectives: Record<string, Objectives | null> }>('GET', '/api/overview/policies'),
});

/** Open (unverified or in progress) subject requests, soonest deadline first. */
export const openSubjectRequestsQuery = queryOptions({
  queryKey: ['gdpr', 'subject-requests', 'open'],
  queryFn: async () => {
    const [unverified, inProgress] = await Promise.all([
      allItems((cursor) => gdpr.GET('/v1/subject-requests', { params: { query: { state: 'unverified', cursor, limit: 500 } } })),
      allItems((cursor) => gdpr.GET('/v1/subject-requests', { params: { query: { state: 'in_progress', cursor, limit: 500 } } })),
    ]);
    return [...unverified, ...inProgress].sort((a, b) => a.effectiveDeadline.localeCompare(b.effectiveDeadline));
  },
});
export type SubjectRequest = Awaited<ReturnType<NonNullable<typeof openSubjectRequestsQuery.queryFn>>>[number];

export const breachesQuery = queryOptions({
  queryKey: ['gdpr', 'breaches'],
  queryFn: () => allItems((cursor) => gdpr.GET('/v1/breaches', { params: { query: { cursor, limit: 1000 } } })),
});
export type Breach = Awaited<ReturnType<NonNullable<typeof breachesQuery.queryFn>>>[number];

/** A breach's 72-hour clock runs until the authority is notified or a reason not to is recorded. */
export const isBreachClockOpen = (b: Breach): boolean => !b.authorityNotifiedAt && !b.notNotifiedReason;

export const alertsQuery = (state: 'firing' | 'acknowledged' | 'resolved' | undefined) =>
  state === 'firing'
    ? firingAlertsQuery
    : queryOptions({
        queryKey: ['alerting', 'alerts', { state: state ?? 'any' }],
        queryFn: async () => (await unwrap(alerting.GET('/v1/alerts', { params: { query: { state, limit: 1000 } } }))).items,
      });

/** One page of a project's unresolved issues; `cursor` is the previous page's nextCursor. */
export const issuesQuery = (projectId: string, cursor: string | undefined, limit: number) =>
  queryOptions({
    queryKey: ['errors', 'projects', projectId, 'issues', { cursor, limit }],
    queryFn: () => unwrap(errors.GET('/v1/projects/{projectId}/issues', { params: { path: { projectId }, query: { status: 'unresolved', sort: 'last_seen', cursor, limit } } })),
  });
