// alerting: kit plugins, then routes, then consumers, then jobs.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPool, createServiceApp, packageVersion } from '@vigil/service-kit';
import type { Config } from './config.js';
import { subscribeDeadLetters } from './consumers/notification-dead-lettered.js';
import { subscribeSources } from './consumers/sources.js';
import { addDeliveryJob } from './jobs/delivery.js';
import { addEscalationJob } from './jobs/escalation.js';
import { addExpiryJob } from './jobs/expiry.js';
import { addGroupFlushJob } from './jobs/group-flush.js';
import type { AlertingDeps, DispatchDeps, LocalSender } from './operations/deps.js';
import { AlertIntake } from './operations/intake.js';
import type { Lifecycle } from './operations/lifecycle.js';
import { RoutingCache } from './operations/routing-cache.js';
import { installBuiltinRules } from './operations/rules.js';
import { alertPeriodRoutes } from './routes/alert-period.js';
import { alertRoutes } from './routes/alerts.js';
import { alertmanagerRoutes } from './routes/alertmanager.js';
import { eventRoutes } from './routes/ingest.js';
import { notifyConfigRoutes } from './routes/notify-config.js';
import { ruleRoutes } from './routes/rules.js';
import { silenceRoutes } from './routes/silences.js';

const VERSION = packageVersion(import.meta.url);
const MIGRATIONS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'migrations');

export async function buildApp(config: Config) {
  // Plugins: the kit's infrastructure (pool, Redis, bus, outbox, metrics registry).
  const startedAt = new Date();
  const app = await createServiceApp({
    name: 'alerting',
    schema: 'alerting',
    version: VERSION,
    description: 'Alert rules, lifecycle, routing, silences, escalation and notifications',
    config,
    migrationsDir: MIGRATIONS,
  });
  const { pool, bus, outbox, registry, scheduler } = app.infra;
  await installBuiltinRules({ pool }, config.ALERTING_HEALTH_SCORE_FLOOR);

  // Background bookkeeping (group flushes, delivery state) commits asynchronously: losing its last
  // commits in a PostgreSQL crash only means a group is flushed again or a request re-sent with
  // its idempotency key. Alerts accepted over the API and from Kafka commit synchronously.
  const workersUrl = new URL(config.DATABASE_URL);
  workersUrl.searchParams.set('options', '-c synchronous_commit=off');
  const workPool = createPool(workersUrl.toString(), config.DATABASE_POOL_MAX, 'vigil-alerting-workers');
  const log = app.log.child({ component: 'jobs' });

  const lifecycle: Lifecycle = { outbox, routing: new RoutingCache(), wake: () => groupFlush.wake() };
  const wakeDelivery = () => delivery.wake();
  const sender: LocalSender = { leaseFor: (n) => delivery.sender.leaseFor(n), take: (rows, since, leaseMs) => delivery.sender.take(rows, since, leaseMs) };
  // The intake flushes the groups its batch made due in the same transaction, so it need not wake
  // the flush job; groups due later are the job's (poll).
  const intake = new AlertIntake(pool, { lifecycle: { ...lifecycle, wake: () => undefined }, externalUrl: config.ALERTING_EXTERNAL_URL, wakeDelivery, sender });
  const deps: AlertingDeps = { pool, lifecycle, intake, externalUrl: config.ALERTING_EXTERNAL_URL, resolveTimeoutMs: config.ALERTING_RESOLVE_TIMEOUT_MS, version: VERSION, startedAt, wakeDelivery };
  const dispatch: DispatchDeps = { pool: workPool, lifecycle, externalUrl: config.ALERTING_EXTERNAL_URL, wakeDelivery, sender };

  // Routes.
  await app.register(alertRoutes, { prefix: '/v1', deps });
  await app.register(alertPeriodRoutes, { prefix: '/v1', deps });
  await app.register(ruleRoutes, { prefix: '/v1', deps });
  await app.register(silenceRoutes, { prefix: '/v1', deps });
  await app.register(notifyConfigRoutes, { prefix: '/v1', deps });
  await app.register(eventRoutes, { prefix: '/v1', deps });
  await app.register(alertmanagerRoutes, { deps });

  // Consumers.
  subscribeSources(bus, pool, lifecycle);
  subscribeDeadLetters(bus, pool, lifecycle);

  // Jobs, on the kit's scheduler (started after consumers and relay).
  const poll = config.ALERTING_POLL_INTERVAL_MS;
  const groupFlush = addGroupFlushJob(scheduler, dispatch, poll);
  addEscalationJob(scheduler, dispatch, poll);
  addExpiryJob(scheduler, dispatch, poll);
  const delivery = addDeliveryJob(scheduler, { pool: workPool, outbox, registry, config, log });
  // The jobs stop and in-flight sends finish before the workers' pool ends; the kit's own
  // onClose (which stops the scheduler first anyway) then drains consumers and the outbox.
  app.addHook('preClose', async () => {
    await scheduler.stop();
    await delivery.drain();
    await workPool.end();
  });
  return app;
}
