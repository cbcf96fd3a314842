// The retention purge, every ERRORS_RETENTION_INTERVAL_MS on the kit's task scheduler. Singleton:
// with several replicas one purges, the others would only contend for the same rows.
import type { TaskSpec } from '@vigil/service-kit';
import type { Pool } from 'pg';
import { purgeExpired } from '../operations/purge-expired.js';

export function retentionTask(pool: Pool, everyMs: number): TaskSpec {
  return {
    name: 'retention',
    everyMs,
    singleton: true,
    async run({ signal, log }) {
      const purged = await purgeExpired(pool, signal);
      if (purged.deleted || purged.droppedMonths.length) log.info(purged, 'retention purge');
    },
  };
}
