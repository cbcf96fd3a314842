// What the stream writes straight into the query cache (rather than invalidating): new health scores and
// the dr.progress log of a running backup or restore. Pure over a QueryClient, so it is unit-tested.
import type { QueryClient } from '@tanstack/react-query';
import type { StreamEnvelope } from './events';
import { withStreamedScore } from './health-scores';

/** dr.progress events of one backup policy, oldest first, as they arrive (the recovery screens show them live). */
export const drProgressKey = (policyId: string) => ['stream', 'dr-progress', policyId] as const;
const DR_PROGRESS_LIMIT = 200;

export function patchFromStream(client: QueryClient, e: StreamEnvelope): void {
  // A new health score goes straight into that database's cached history (newest first), once: the cache
  // may hold it already (fetched before its event arrived, or delivered twice).
  if (e.type === 'HealthScored' && typeof e.data.databaseId === 'string' && typeof e.data.scoredAt === 'string') {
    const score = { score: e.data.score, status: e.data.status, components: e.data.components, scoredAt: e.data.scoredAt };
    client.setQueryData<{ scoredAt?: unknown }[]>(['perf', 'health', e.data.databaseId], (old) => withStreamedScore(old, score));
  }
  if (e.type === 'OperationProgressed' && typeof e.data.policyId === 'string') {
    client.setQueryData<Record<string, unknown>[]>(drProgressKey(e.data.policyId), (old = []) => [...old, e.data].slice(-DR_PROGRESS_LIMIT));
  }
}
