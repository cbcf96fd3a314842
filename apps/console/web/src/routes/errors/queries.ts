// The errors area's server state: the issue stream (pages of issues, each with its 24 h sparklines),
// an issue with its latest event, series, events, users and activity; and the status changes.
// Every key starts with 'errors', so the stream's IssueOpened/IssueRegressed invalidate them all.
import { infiniteQueryOptions, queryOptions, type QueryClient } from '@tanstack/react-query';
import { errors, unwrap } from '../../api/services';
import { consoleApi } from '../../api/console';
import type { StreamSearch } from './routes';

export const PAGE = 100;
const PERIOD_MS = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '14d': 14 * 86_400_000, '30d': 30 * 86_400_000 } as const;

export type Filters = Omit<StreamSearch, 'project' | 'issue'>;

/** The list endpoint's query for the stream's filters (the URL's). */
function listQuery(f: Filters) {
  const status = f.status === 'all' ? undefined : (f.status ?? 'unresolved');
  return {
    ...(status ? { status } : {}),
    ...(f.view ? { substatus: f.view } : {}),
    ...(f.level ? { level: f.level } : {}),
    ...(f.release ? { release: f.release } : {}),
    ...(f.environment ? { environment: f.environment } : {}),
    ...(f.tag && /^[^:]+:.+$/.test(f.tag) ? { tag: f.tag } : {}),
    ...(f.query ? { query: f.query } : {}),
    ...(f.period ? { since: new Date(Date.now() - PERIOD_MS[f.period]).toISOString() } : {}),
    sort: f.sort ?? (f.view === 'new' ? 'first_seen' : 'last_seen'),
  };
}

async function issuePage(projectId: string, f: Filters, cursor: string | undefined) {
  const page = await unwrap(errors.GET('/v1/projects/{projectId}/issues', { params: { path: { projectId }, query: { ...listQuery(f), limit: PAGE, ...(cursor ? { cursor } : {}) } } }));
  // The sparklines of this page's issues, in one request.
  const trends = page.items.length
    ? await unwrap(errors.GET('/v1/projects/{projectId}/issues/trends', { params: { path: { projectId }, query: { issueIds: page.items.map((i) => i.id).join(',') } } }))
    : { items: [] };
  const byId = new Map(trends.items.map((t) => [t.issueId, t.hours]));
  return { items: page.items.map((i) => ({ ...i, hours: byId.get(i.id) ?? [] })), nextCursor: page.nextCursor };
}
export type StreamIssue = Awaited<ReturnType<typeof issuePage>>['items'][number];

export const issueStreamQuery = (projectId: string, f: Filters) =>
  infiniteQueryOptions({
    queryKey: ['errors', 'stream', projectId, f],
    queryFn: ({ pageParam }) => issuePage(projectId, f, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // The stream keeps it fresh (IssueOpened / IssueRegressed invalidate 'errors'); polling every loaded page is not needed.
    refetchInterval: false,
    // A next page keeps the loaded pages' objects as they are; comparing all 10,000 issues deeply on each
    // page (structural sharing) would cost a long frame per page while scrolling.
    structuralSharing: false,
  });

export const issueQuery = (projectId: string, issueId: string) =>
  queryOptions({
    queryKey: ['errors', 'issue', projectId, issueId],
    queryFn: () => unwrap(errors.GET('/v1/projects/{projectId}/issues/{issueId}', { params: { path: { projectId, issueId } } })),
  });
export type IssueDetail = Awaited<ReturnType<NonNullable<ReturnType<typeof issueQuery>['queryFn']>>>;
export type IssueEvent = NonNullable<IssueDetail['latestEvent']>;

export const issueSeriesQuery = (projectId: string, issueId: string, period: '24h' | '14d') =>
  queryOptions({
    queryKey: ['errors', 'issue', projectId, issueId, 'series', period],
    queryFn: () => unwrap(errors.GET('/v1/projects/{projectId}/issues/{issueId}/series', { params: { path: { projectId, issueId }, query: { period } } })),
  });

export const issueEventsQuery = (projectId: string, issueId: string) =>
  infiniteQueryOptions({
    queryKey: ['errors', 'issue', projectId, issueId, 'events'],
    queryFn: ({ pageParam }) =>
      unwrap(errors.GET('/v1/projects/{projectId}/issues/{issueId}/events', { params: { path: { projectId, issueId }, query: { limit: 10, full: true, ...(pageParam ? { cursor: pageParam } : {}) } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

export const issueUsersQuery = (projectId: string, issueId: string) =>
  queryOptions({
    queryKey: ['errors', 'issue', projectId, issueId, 'users'],
    queryFn: () => unwrap(errors.GET('/v1/projects/{projectId}/issues/{issueId}/users', { params: { path: { projectId, issueId }, query: { limit: 10 } } })),
  });

export const issueActivityQuery = (projectId: string, issueId: string) =>
  queryOptions({
    queryKey: ['errors', 'issue', projectId, issueId, 'activity'],
    queryFn: () => unwrap(errors.GET('/v1/projects/{projectId}/issues/{issueId}/activity', { params: { path: { projectId, issueId }, query: { limit: 25 } } })),
  });

export type Resolution = 'now' | 'inRelease' | 'inNextRelease';
export type StatusChange = { status: 'unresolved' | 'resolved' | 'ignored'; resolution?: Resolution };

export async function changeStatus(qc: QueryClient, projectId: string, issueIds: string[], change: StatusChange) {
  const result = await unwrap(errors.POST('/v1/projects/{projectId}/issues/status', { params: { path: { projectId } }, body: { issueIds, ...change } }));
  await qc.invalidateQueries({ queryKey: ['errors'] });
  return result.items;
}

export const savedViewsQuery = queryOptions({ queryKey: ['console', 'saved-views', 'errors'], queryFn: () => consoleApi.savedViews('errors') });
