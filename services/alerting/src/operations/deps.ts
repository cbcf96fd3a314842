// What routes and consumers are given: the pool, the lifecycle hooks and config values.
import type { Pool } from 'pg';
import type { Lifecycle } from './lifecycle.js';

export interface AlertingDeps {
  pool: Pool;
  lifecycle: Lifecycle;
  externalUrl: string;
  resolveTimeoutMs: number;
  wakeDelivery(): void;
}
