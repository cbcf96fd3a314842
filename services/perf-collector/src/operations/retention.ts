// Retention of raw samples: older than PERF_RAW_RETENTION_DAYS they go; hourly rollups stay.
import type { Pool } from 'pg';
import { pruneRawSamples } from '../db/series.js';

export const pruneExpiredSamples = (pool: Pool, retentionDays: number) => pruneRawSamples(pool, retentionDays);
