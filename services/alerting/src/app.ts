// alerting: plugins, then routes, then consumers and the background workers.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPool, createServiceApp } from '@vigil/service-kit';
import type { Config } from './config.js';
import { subscribeSources } from './consumers/sources.js';
import { syncBuiltinRules } from './db/rules.js';
import { DeliveredMarks, Deliverer } from './operations/deliver-notifications.js';
import { defaultRules } from './domain/default-rules.js';
import type { AlertingDeps } from './operations/deps.js';
import { escalateDue, flushDueGroups, resolveExpired, type DispatchDeps } from './operations/flush-groups.js';
import type { Lifecycle } from './operations/lifecycle.js';
import { WorkLoop } from './jobs/work-loop.js';
import { RoutingCache } from './operations/routing-cache.js';
import { alertRoutes } from './routes/alerts.js';
import { alertmanagerRoutes, eventRoutes } from './routes/ingest.js';
import { notifyConfigRoutes } from './routes/notify-config.js';
import { ruleRoutes } from './routes/rules.js';
import { silenceRoutes } from './routes/silences.js';

const MIGRATIONS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'migrations');

export async function buildApp(config: Config) {
  const app = await createServiceApp({
    name: 'alerting',
    schema: 'alerting',
    version: '0.2.0',
    description: 'Alert rules, lifecycle, routing, silences, escalation and notifications',
    config,
    migrationsDir: MIGRATIONS,
  });
  const { pool, bus, outbox } = app.infra;
  await syncBuiltinRules(pool, defaultRules(config.ALERT_HEALTH_SCORE_FLOOR));

  // Background bookkeeping (group flushes, delivery state) commits asynchronously: losing its last
  // commits in a PostgreSQL crash only means a group is flushed again or a request re-sent with
  // its idempotency key. Alerts accepted over the API and from Kafka commit synchronously.
  const workersUrl = new URL(config.DATABASE_URL);
  workersUrl.searchParams.set('options', '-c synchronous_commit=off');
  const workPool = createPool(workersUrl.toString(), config.DATABASE_POOL_MAX, 'vigil-alerting-workers');
  const log = app.log.child({ component: 'workers' });
  const poll = config.ALERT_POLL_INTERVAL_MS;
  const lifecycle: Lifecycle = { outbox, routing: new RoutingCache(), wake: () => groups.wake() };
  const dispatch: DispatchDeps = { pool: workPool, lifecycle, externalUrl: config.ALERT_EXTERNAL_URL, wakeDelivery: () => delivery.wake() };
  const groups = new WorkLoop('groups', () => flushDueGroups(dispatch), poll, log);
  const escalations = new WorkLoop('escalations', () => escalateDue(dispatch), Math.max(poll, 1000), log);
  const expiry = new WorkLoop('expiry', () => resolveExpired(dispatch), Math.max(poll, 1000), log);
  const deliverer = new Deliverer({
    marks: new DeliveredMarks(workPool),
    pool: workPool,
    lifecycle,
    log,
    options: {
      maxAttempts: config.ALERT_DELIVERY_MAX_ATTEMPTS,
      backoffBaseMs: config.ALERT_DELIVERY_BACKOFF_BASE_MS,
      backoffMaxMs: config.ALERT_DELIVERY_BACKOFF_MAX_MS,
      leaseMs: config.ALERT_DELIVERY_LEASE_MS,
      timeoutMs: config.ALERT_DELIVERY_TIMEOUT_MS,
      concurrency: config.ALERT_DELIVERY_CONCURRENCY,
    },
  });
  const delivery = new WorkLoop('delivery', () => deliverer.step(), poll, log);
  const loops = [groups, escalations, expiry, delivery];

  const deps: AlertingDeps = { pool, lifecycle, externalUrl: config.ALERT_EXTERNAL_URL, resolveTimeoutMs: config.ALERT_RESOLVE_TIMEOUT_MS, wakeDelivery: () => delivery.wake() };
  await app.register(alertRoutes, { prefix: '/v1', deps });
  await app.register(ruleRoutes, { prefix: '/v1', deps });
  await app.register(silenceRoutes, { prefix: '/v1', deps });
  await app.register(notifyConfigRoutes, { prefix: '/v1', deps });
  await app.register(eventRoutes, { prefix: '/v1', deps });
  await app.register(alertmanagerRoutes, { deps });
  subscribeSources(bus, pool, lifecycle);

  app.addHook('onReady', async () => loops.forEach((l) => l.start()));
  // Workers stop before the shared onClose hook ends the pool.
  app.addHook('preClose', async () => {
    await Promise.all(loops.map((l) => l.stop()));
    await deliverer.drain();
    await workPool.end();
  });
  return app;
}
