// The delivery queue: keeps up to ALERTING_DELIVERY_CONCURRENCY sends in flight, polling when idle
// and woken at once when a flush enqueues. Outcomes and dead letters are counted.
// Not a singleton: rows are claimed with a lease (FOR UPDATE SKIP LOCKED) and pacing per target is
// a shared slot in PostgreSQL, so every replica sends.
import type { Pool } from 'pg';
import { Counter, type Registry } from 'prom-client';
import type { Outbox } from '@vigil/events';
import type { TaskScheduler } from '@vigil/service-kit';
import type { Config } from '../config.js';
import type { LocalSender } from '../operations/deps.js';
import { DeliveredMarks, Deliverer, type DeliveryLogger } from '../operations/deliver-notifications.js';
import { addDrainTask } from './drain-task.js';

export function addDeliveryJob(scheduler: TaskScheduler, o: { pool: Pool; outbox: Outbox; registry: Registry; config: Config; log: DeliveryLogger }) {
  const sends = new Counter({ name: 'vigil_alerting_notification_sends_total', help: 'Notification requests by receiver kind and outcome', labelNames: ['kind', 'outcome'], registers: [o.registry] });
  const dead = new Counter({ name: 'vigil_alerting_notifications_dead_lettered_total', help: 'Notifications given up on (attempts exhausted or permanent error)', labelNames: ['kind'], registers: [o.registry] });
  const { config: c } = o;
  let wake = () => undefined as void;
  const deliverer = new Deliverer({
    marks: new DeliveredMarks(o.pool, o.log),
    pool: o.pool,
    outbox: o.outbox,
    log: o.log,
    options: {
      maxAttempts: c.ALERTING_DELIVERY_MAX_ATTEMPTS,
      backoffBaseMs: c.ALERTING_DELIVERY_BACKOFF_BASE_MS,
      backoffMaxMs: c.ALERTING_DELIVERY_BACKOFF_MAX_MS,
      leaseMs: c.ALERTING_DELIVERY_LEASE_MS,
      timeoutMs: c.ALERTING_DELIVERY_TIMEOUT_MS,
      concurrency: c.ALERTING_DELIVERY_CONCURRENCY,
    },
    onOutcome: (outcome, n) => (outcome === 'dead' ? dead.inc({ kind: n.kind }) : sends.inc({ kind: n.kind, outcome })),
  }, () => wake());
  const task = addDrainTask(scheduler, { name: 'delivery', everyMs: c.ALERTING_POLL_INTERVAL_MS, step: () => deliverer.step() });
  wake = task.wake;
  return {
    wake: task.wake,
    /** Notifications a flush of this process leased to it go straight here. */
    sender: deliverer as LocalSender,
    /** Once the scheduler has stopped (nothing claims any more): waits for the sends already started. */
    drain: () => deliverer.drain(),
  };
}
