import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { patchFromStream } from './cache-patches';
import type { StreamEnvelope } from './events';

const score = (scoredAt: string, value = 90) => ({ score: value, status: 'healthy', components: [], scoredAt });
const scored = (databaseId: string, scoredAt: string, value = 90): StreamEnvelope => ({
  id: `e-${databaseId}-${scoredAt}`,
  type: 'HealthScored',
  version: 1,
  source: 'perf-collector',
  tenantId: 't',
  occurredAt: scoredAt,
  data: { databaseId, databaseName: 'orders', ...score(scoredAt, value) },
});
const key = (databaseId: string) => ['perf', 'health', databaseId];

describe('a health score from the stream in the overview cache', () => {
  it('is added once, newest first', () => {
    const client = new QueryClient();
    client.setQueryData(key('db-1'), [score('2026-12-01T10:00:00.000Z')]);
    patchFromStream(client, scored('db-1', '2026-12-01T10:01:00.000Z', 70));
    expect(client.getQueryData(key('db-1'))).toEqual([score('2026-12-01T10:01:00.000Z', 70), score('2026-12-01T10:00:00.000Z')]);
  });

  it('is not added again when the cache already holds it (a poll fetched it before its event arrived)', () => {
    const client = new QueryClient();
    client.setQueryData(key('db-1'), [score('2026-12-01T10:01:00.000Z', 70), score('2026-12-01T10:00:00.000Z')]);
    patchFromStream(client, scored('db-1', '2026-12-01T10:01:00.000Z', 70));
    expect(client.getQueryData(key('db-1'))).toHaveLength(2);
  });

  it('is not added twice when the stream delivers it twice (replay after a reconnect, a redelivery)', () => {
    const client = new QueryClient();
    client.setQueryData(key('db-1'), [score('2026-12-01T10:00:00.000Z')]);
    patchFromStream(client, scored('db-1', '2026-12-01T10:01:00.000Z', 70));
    patchFromStream(client, scored('db-1', '2026-12-01T10:01:00.000Z', 70));
    expect(client.getQueryData<unknown[]>(key('db-1'))).toHaveLength(2);
  });

  it('goes into its place by time when it arrives late, and only into its own database', () => {
    const client = new QueryClient();
    client.setQueryData(key('db-1'), [score('2026-12-01T10:02:00.000Z'), score('2026-12-01T10:00:00.000Z')]);
    client.setQueryData(key('db-2'), [score('2026-12-01T10:00:00.000Z')]);
    patchFromStream(client, scored('db-1', '2026-12-01T10:01:00.000Z', 50));
    expect(client.getQueryData<{ scoredAt: string }[]>(key('db-1'))!.map((s) => s.scoredAt)).toEqual(['2026-12-01T10:02:00.000Z', '2026-12-01T10:01:00.000Z', '2026-12-01T10:00:00.000Z']);
    expect(client.getQueryData(key('db-2'))).toHaveLength(1);
  });

  it('leaves an uncached database uncached', () => {
    const client = new QueryClient();
    patchFromStream(client, scored('db-3', '2026-12-01T10:01:00.000Z'));
    expect(client.getQueryData(key('db-3'))).toBeUndefined();
  });
});
