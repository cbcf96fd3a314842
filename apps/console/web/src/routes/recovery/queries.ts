// The recovery area's reads (dr-orchestrator through the front door). Keys start with 'dr', so the stream's
// BackupFinished / VerificationFinished / RecoveryObjectiveBreached invalidations reach them.
import { queryOptions } from '@tanstack/react-query';
import { allItems, dr, unwrap } from '../../api/services';
import { problemFrom } from '../../api/problem';

export { objectivesQuery, policiesQuery, type Policy } from '../../api/queries';

export const backupsQuery = (policyId: string) =>
  queryOptions({
    queryKey: ['dr', 'backups', policyId],
    // The newest page: the policy page shows recent backups, not the whole retention.
    queryFn: async () => (await unwrap(dr.GET('/v1/policies/{policyId}/backups', { params: { path: { policyId }, query: { limit: 100 } } }))).items,
  });
export type Backup = Awaited<ReturnType<NonNullable<ReturnType<typeof backupsQuery>['queryFn']>>>[number];

/** Verifications and drills of a policy, newest first. */
export const verificationsQuery = (policyId: string) =>
  queryOptions({
    queryKey: ['dr', 'verifications', policyId],
    queryFn: async () => (await unwrap(dr.GET('/v1/policies/{policyId}/verifications', { params: { path: { policyId }, query: { limit: 100 } } }))).items,
  });
export type Verification = Awaited<ReturnType<NonNullable<ReturnType<typeof verificationsQuery>['queryFn']>>>[number];
export type Check = Verification['checks'][number];

const HISTORY_PAGES = 10;

/** Every finished restore of the last `days` days with its verified RPO and RTO (oldest first), all pages. */
export const objectiveHistoryQuery = (policyId: string, days = 90) =>
  queryOptions({
    queryKey: ['dr', 'objective-history', policyId, days],
    queryFn: async () => {
      const items = [];
      let cursor: string | undefined;
      for (let page = 0; page < HISTORY_PAGES; page++) {
        const res = await unwrap(dr.GET('/v1/policies/{policyId}/objective-history', { params: { path: { policyId }, query: { days, limit: 500, ...(cursor ? { cursor } : {}) } } }));
        items.push(...res.items);
        if (!res.nextCursor) break;
        cursor = res.nextCursor;
      }
      return items;
    },
  });
export type HistoryPoint = Awaited<ReturnType<NonNullable<ReturnType<typeof objectiveHistoryQuery>['queryFn']>>>[number];

export const runbooksQuery = queryOptions({
  queryKey: ['dr', 'runbooks'],
  queryFn: () => allItems((cursor) => dr.GET('/v1/runbooks', { params: { query: { cursor, limit: 500 } } })),
  staleTime: 5 * 60_000,
});
export type RunbookSummary = Awaited<ReturnType<NonNullable<typeof runbooksQuery.queryFn>>>[number];

async function markdown(call: Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<string> {
  const { data, error, response } = await call;
  if (!response.ok) throw problemFrom(response, error);
  return typeof data === 'string' ? data : '';
}

/** A runbook's markdown (served by dr-orchestrator behind the session). */
export const runbookQuery = (slug: string) =>
  queryOptions({
    queryKey: ['dr', 'runbooks', slug],
    queryFn: () => markdown(dr.GET('/v1/runbooks/{slug}', { params: { path: { slug } }, parseAs: 'text' })),
    staleTime: 5 * 60_000,
  });

/** The business continuity document, generated as markdown from the tenant's policies and their evidence. */
export const continuityQuery = queryOptions({
  queryKey: ['dr', 'continuity-document'],
  queryFn: () => markdown(dr.GET('/v1/continuity-document', { parseAs: 'text' })),
});
