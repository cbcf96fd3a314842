// What routes, consumers and jobs hand to operations: pools, the lifecycle hooks, config values.
import type { Pool } from 'pg';
import type { Lifecycle } from './lifecycle.js';

export interface AlertingDeps {
  pool: Pool;
  lifecycle: Lifecycle;
  externalUrl: string;
  resolveTimeoutMs: number;
  /** The service's version and start time (the Alertmanager API's status). */
  version: string;
  startedAt: Date;
  /** A notification was enqueued: run the delivery job soon. */
  wakeDelivery(): void;
}

/** Background work (flushes, escalations, expiry) runs on its own pool with asynchronous commits. */
export type DispatchDeps = Pick<AlertingDeps, 'pool' | 'lifecycle' | 'externalUrl' | 'wakeDelivery'>;
