// Health of a database: score a pushed snapshot, store it and publish HealthScored in the same
// transaction; read the score history.
import { HealthScored, type Outbox } from '@vigil/events';
import type { Pool } from 'pg';
import { withTransaction } from '@vigil/service-kit';
import { healthHistory, insertHealthScore } from '../db/health-scores.js';
import { scoreDatabaseHealth, type HealthScore, type HealthSnapshot } from '../domain/health-score.js';
import { healthNotScored } from '../errors.js';

export async function recordHealth(
  deps: { pool: Pool; outbox: Outbox },
  tenantId: string,
  database: { id: string; name: string },
  snapshot: HealthSnapshot,
): Promise<HealthScore & { scoredAt: string }> {
  const health = scoreDatabaseHealth(snapshot);
  return withTransaction(deps.pool, async (tx) => {
    const scoredAt = await insertHealthScore(tx, tenantId, database.id, health);
    await deps.outbox.enqueue(tx, HealthScored, { databaseId: database.id, databaseName: database.name, ...health, scoredAt }, { tenantId });
    return { ...health, scoredAt };
  });
}

export const scoreHistory = (pool: Pool, tenantId: string, databaseId: string) => healthHistory(pool, tenantId, databaseId);

export async function currentScore(pool: Pool, tenantId: string, databaseId: string) {
  const [latest] = await healthHistory(pool, tenantId, databaseId, 1);
  if (!latest) throw healthNotScored(databaseId);
  return latest;
}
