// What routes, consumers and jobs hand to operations: pools, the lifecycle hooks, config values.
import type { Pool } from 'pg';
import type { NotificationRow } from '../db/notifications.js';
import type { AlertIntake } from './intake.js';
import type { Lifecycle } from './lifecycle.js';

export interface AlertingDeps {
  pool: Pool;
  lifecycle: Lifecycle;
  /** Alertmanager-API alerts, applied with group commit. */
  intake: AlertIntake;
  externalUrl: string;
  resolveTimeoutMs: number;
  /** The service's version and start time (the Alertmanager API's status). */
  version: string;
  startedAt: Date;
  /** A notification was enqueued: run the delivery job soon. */
  wakeDelivery(): void;
  /** This process's sender, to which a flush hands the notifications it leased to itself. */
  sender?: LocalSender;
}

/**
 * The delivery queue's fast path: a flush that commits its notifications as 'sending', leased to this
 * process, hands them over after the commit, with no claim round trip and no wake-up to wait for.
 */
export interface LocalSender {
  /** The lease a flush gives the rows it hands over; undefined when the sender is full (queue them instead). */
  leaseFor(count: number): number | undefined;
  /** Rows committed as 'sending' with that lease, which began no earlier than `since` (ms, local clock). */
  take(rows: NotificationRow[], since: number, leaseMs: number): void;
}

/** Background work (flushes, escalations, expiry) runs on its own pool with asynchronous commits. */
export type DispatchDeps = Pick<AlertingDeps, 'pool' | 'lifecycle' | 'externalUrl' | 'wakeDelivery' | 'sender'>;
