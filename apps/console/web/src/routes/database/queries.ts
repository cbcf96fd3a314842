// The database area's server state: one query per perf-collector resource, keyed under 'perf' so
// the stream's invalidations (by service prefix) refresh every screen that shows it.
import { queryOptions } from '@tanstack/react-query';
import { perf, unwrap } from '../../api/services';

type Path<T extends string> = { params: { path: { databaseId: T } } };
const db = (databaseId: string): Path<string> => ({ params: { path: { databaseId } } });

/** Lists arrive as bare arrays today and as `{items, nextCursor}` once the API convention lands. */
const items = <T>(v: T[] | { items: T[] }): T[] => (Array.isArray(v) ? v : v.items);

export const targetsQuery = queryOptions({
  queryKey: ['perf', 'databases', 'list'],
  queryFn: async () => items(await unwrap(perf.GET('/v1/databases'))),
});
export type Target = Awaited<ReturnType<NonNullable<typeof targetsQuery.queryFn>>>[number];

export const targetQuery = (id: string) =>
  queryOptions({
    queryKey: ['perf', 'databases', id],
    queryFn: () => unwrap(perf.GET('/v1/databases/{databaseId}', db(id))),
  });

/**
 * The latest scores of a database with their checks (newest first; up to 100). Under 'databases', so
 * the stream's HealthScored invalidation refetches them whole (the event carries no checks).
 */
export const scoresQuery = (id: string) =>
  queryOptions({
    queryKey: ['perf', 'databases', id, 'scores'],
    queryFn: async () => items(await unwrap(perf.GET('/v1/databases/{databaseId}/health', db(id)))),
  });
export type Score = Awaited<ReturnType<NonNullable<ReturnType<typeof scoresQuery>['queryFn']>>>[number];
export type Check = NonNullable<Score['checks']>[number];

export const seriesQuery = (id: string, metric: string, hours: number) =>
  queryOptions({
    queryKey: ['perf', 'metrics', id, metric, hours],
    queryFn: () => unwrap(perf.GET('/v1/databases/{databaseId}/metrics/{metric}', { params: { path: { databaseId: id, metric }, query: { hours } } })),
  });

export const statementsQuery = (id: string, order: 'total' | 'mean', hours: number) =>
  queryOptions({
    queryKey: ['perf', 'queries', id, order, hours],
    queryFn: () => unwrap(perf.GET('/v1/databases/{databaseId}/queries', { params: { path: { databaseId: id }, query: { order, hours, limit: 25 } } })),
  });
export type Statement = Awaited<ReturnType<NonNullable<ReturnType<typeof statementsQuery>['queryFn']>>>['items'][number];

export const statementHistoryQuery = (id: string, queryId: string, hours: number) =>
  queryOptions({
    queryKey: ['perf', 'queries', id, queryId, 'history', hours],
    // The statement's text and its points, read together.
    queryFn: async () => {
      const path = { databaseId: id, queryId };
      const [statement, history] = await Promise.all([
        unwrap(perf.GET('/v1/databases/{databaseId}/queries/{queryId}', { params: { path } })),
        unwrap(perf.GET('/v1/databases/{databaseId}/queries/{queryId}/history', { params: { path, query: { hours, limit: 2000 } } })),
      ]);
      return { ...statement, ...history };
    },
  });

export const slowQueriesQuery = (id: string) =>
  queryOptions({
    queryKey: ['perf', 'slow-queries', id],
    queryFn: async () => items(await unwrap(perf.GET('/v1/databases/{databaseId}/slow-queries', { params: { path: { databaseId: id }, query: { order: 'mean', limit: 50 } } }))),
  });

export const planStatement = (id: string, queryId: string) => unwrap(perf.POST('/v1/databases/{databaseId}/queries/{queryId}/plans', { params: { path: { databaseId: id, queryId } } }));
export type PlannedStatement = Awaited<ReturnType<typeof planStatement>>;

export const recommendationsQuery = (id: string) =>
  queryOptions({
    queryKey: ['perf', 'recommendations', id],
    queryFn: async () => items(await unwrap(perf.GET('/v1/databases/{databaseId}/recommendations', db(id)))),
  });
export type Recommendation = Awaited<ReturnType<NonNullable<ReturnType<typeof recommendationsQuery>['queryFn']>>>[number];

export const optimizationsQuery = (id: string) =>
  queryOptions({
    queryKey: ['perf', 'optimizations', id],
    queryFn: async () => items(await unwrap(perf.GET('/v1/databases/{databaseId}/optimizations', { params: { path: { databaseId: id }, query: { windowHours: 24 } } }))),
  });
export type Optimization = Awaited<ReturnType<NonNullable<ReturnType<typeof optimizationsQuery>['queryFn']>>>[number];

export const applyRecommendation = (id: string, recommendationId: string) =>
  unwrap(perf.POST('/v1/databases/{databaseId}/recommendations/{recommendationId}/applications', { params: { path: { databaseId: id, recommendationId } } }));

export const capacityQuery = (id: string) =>
  queryOptions({
    queryKey: ['perf', 'capacity', id],
    queryFn: () => unwrap(perf.GET('/v1/databases/{databaseId}/capacity', { params: { path: { databaseId: id }, query: { days: 30 } } })),
  });
export type Capacity = Awaited<ReturnType<NonNullable<ReturnType<typeof capacityQuery>['queryFn']>>>;

/** The service documents no response schema for a collection: this is its CycleOutcome, by hand. */
export interface CycleOutcome {
  status: string;
  detail: string;
  durationMs: number;
}
export const collectNow = async (id: string) =>
  (await unwrap(perf.POST('/v1/databases/{databaseId}/collections', { ...db(id), body: { advise: true, sizes: true } }))) as unknown as CycleOutcome;

export const registerTarget = (body: { name: string; connectionString: string; intervalSeconds?: number; diskLimitBytes?: number }) => unwrap(perf.POST('/v1/databases', { body }));
export const changeTarget = (id: string, body: { intervalSeconds?: number; diskLimitBytes?: number | null; connectionString?: string }) =>
  unwrap(perf.PATCH('/v1/databases/{databaseId}', { ...db(id), body }));
export const removeTarget = (id: string) => unwrap(perf.DELETE('/v1/databases/{databaseId}', db(id)));

export const apmServicesQuery = queryOptions({
  queryKey: ['perf', 'apm', 'services'],
  queryFn: async () => items(await unwrap(perf.GET('/v1/apm/services'))),
});
export type ApmSummary = Awaited<ReturnType<NonNullable<typeof apmServicesQuery.queryFn>>>[number];

export const apmServiceQuery = (service: string, hours: number) =>
  queryOptions({
    queryKey: ['perf', 'apm', 'services', service, hours],
    queryFn: () => unwrap(perf.GET('/v1/apm/services/{service}', { params: { path: { service }, query: { hours } } })),
  });
