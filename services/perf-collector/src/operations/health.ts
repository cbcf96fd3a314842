// Health of a database: score a pushed snapshot, store it and publish HealthScored in the same
// transaction; read the score history.
import { decodeCursor, type PageRequest, withTransaction } from '@vigil/service-kit';
import { HealthScored, type Outbox } from '@vigil/events';
import type { Pool } from 'pg';
import { healthHistory, insertHealthScore, pageHealthHistory } from '../db/health-scores.js';
import { scoreDatabaseHealth, type HealthScore, type HealthSnapshot } from '../domain/health-score.js';
import { healthNotScored } from '../errors.js';
import { requireTarget } from './targets.js';

export async function recordHealth(
  deps: { pool: Pool; outbox: Outbox },
  tenantId: string,
  database: { id: string; name: string },
  snapshot: HealthSnapshot,
): Promise<HealthScore & { scoredAt: string }> {
  // A snapshot is for a database the tenant registered: an unknown (or another tenant's) id is 404, not a new series.
  await requireTarget(deps.pool, tenantId, database.id);
  const health = scoreDatabaseHealth(snapshot);
  return withTransaction(deps.pool, async (tx) => {
    const scoredAt = await insertHealthScore(tx, tenantId, database.id, health);
    await deps.outbox.enqueue(tx, HealthScored, { databaseId: database.id, databaseName: database.name, score: health.score, status: health.status, components: health.components, scoredAt }, { tenantId });
    return { ...health, scoredAt };
  });
}

export async function scoreHistory(pool: Pool, tenantId: string, databaseId: string, page: PageRequest) {
  await requireTarget(pool, tenantId, databaseId);
  return pageHealthHistory(pool, tenantId, databaseId, page.limit, decodeCursor(page.cursor, 2));
}

export async function currentScore(pool: Pool, tenantId: string, databaseId: string) {
  await requireTarget(pool, tenantId, databaseId);
  const [latest] = await healthHistory(pool, tenantId, databaseId, 1);
  if (!latest) throw healthNotScored(databaseId);
  return latest;
}
