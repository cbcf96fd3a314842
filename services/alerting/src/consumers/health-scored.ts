// perf.health-scored -> alerting.alerts (fires below the floor, resolves above it).
import { handleOnce, HealthScored, type EventBus } from '@vigil/events';
import type { Pool } from 'pg';
import { resolveOpen, upsertFiring } from '../db/alerts.js';
import { evaluateHealthScore } from '../domain/health-alert.js';

export function subscribeHealthScores(bus: EventBus, pool: Pool, floor: number): void {
  bus.subscribe(HealthScored, async (event) => {
    const { firing, alert } = evaluateHealthScore(event.data, floor);
    await handleOnce({ pool, schema: 'alerting', consumer: 'health-scored' }, event, (tx) =>
      firing ? upsertFiring(tx, event.tenantId, alert) : resolveOpen(tx, event.tenantId, alert.fingerprint),
    );
  });
}
