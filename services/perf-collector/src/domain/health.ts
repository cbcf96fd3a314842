// Scores a snapshot, stores it and publishes HealthScored in the same transaction.
import { HealthScored, type Outbox } from '@vigil/events';
import type { Pool } from 'pg';
import { insertHealthScore } from '../db/health-scores.js';
import { scoreDatabaseHealth, type HealthScore, type HealthSnapshot } from './health-score.js';

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
