// Health of a database: score a pushed snapshot, store it and publish HealthScored in the same
// transaction; read the score history.
import { HealthScored, type Outbox } from '@vigil/events';
import type { Pool } from 'pg';
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
  const client = await deps.pool.connect();
  try {
    await client.query('BEGIN');
    const scoredAt = await insertHealthScore(client, tenantId, database.id, health);
    await deps.outbox.enqueue(client, HealthScored, { databaseId: database.id, databaseName: database.name, ...health, scoredAt }, { tenantId });
    await client.query('COMMIT');
    return { ...health, scoredAt };
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}

export const scoreHistory = (pool: Pool, tenantId: string, databaseId: string) => healthHistory(pool, tenantId, databaseId);

export async function currentScore(pool: Pool, tenantId: string, databaseId: string) {
  const [latest] = await healthHistory(pool, tenantId, databaseId, 1);
  if (!latest) throw healthNotScored(databaseId);
  return latest;
}
