// console: the kit's app → cookies, headers and the session guard → routes → front door → stream → web.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import { createServiceApp } from '@vigil/service-kit';
import { serviceInstances } from './clients/service-instances.js';
import { SignInLimiter } from './clients/signin-limiter.js';
import { addReportDeliveriesJob } from './jobs/report-deliveries.js';
import type { Config } from './config.js';
import { bootstrapAdmin } from './operations/bootstrap-admin.js';
import { seedDone, seedSelf } from './operations/self-seed.js';
import { SessionEnded, type ConsoleDeps } from './operations/deps.js';
import { ServiceKeys } from './operations/service-keys.js';
import { registerSecurityHeaders } from './plugins/security-headers.js';
import { registerSessionGuard } from './plugins/session-guard.js';
import { adminRoutes } from './routes/admin.js';
import { frontDoorRoutes } from './routes/front-door.js';
import { healthRoutes } from './routes/health.js';
import { preferenceRoutes } from './routes/preferences.js';
import { savedViewRoutes } from './routes/saved-views.js';
import { reportRoutes } from './routes/reports.js';
import { sessionRoutes } from './routes/session.js';
import { streamRoutes } from './routes/stream.js';
import { webRoutes } from './routes/web.js';
import { historyRoutes } from './routes/history.js';
import { overviewRoutes } from './routes/overview.js';
import { incidentRoutes } from './routes/incidents.js';
import { subscribeEventHistory } from './consumers/event-history.js';
import { HistoryRecorder, purgeHistory } from './operations/history.js';
import { subscribeStream } from './stream/consumer.js';
import { StreamHub } from './stream/hub.js';

const MIGRATIONS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'migrations');

/** Redis keys are shared by every console of one installation and by nobody else. */
function redisPrefix(config: Config): string {
  const db = new URL(config.DATABASE_URL).pathname.replace(/^\//, '') || 'vigil';
  return `vigil:console:${db}:${config.KAFKA_NAMESPACE ? `${config.KAFKA_NAMESPACE}:` : ''}`;
}

export async function buildApp(config: Config) {
  const app = await createServiceApp({
    name: 'console',
    schema: 'console',
    version: '0.1.0',
    description: 'The web console: front door to the services, sign-in and sessions, people and keys, the live stream',
    config,
    migrationsDir: MIGRATIONS,
  });
  const { pool, redis, outbox, bus } = app.infra;
  const deps: ConsoleDeps = {
    config,
    pool,
    outbox,
    limiter: new SignInLimiter(redis, {
      prefix: redisPrefix(config),
      maxPerAccount: config.CONSOLE_SIGNIN_MAX_PER_ACCOUNT,
      maxPerIp: config.CONSOLE_SIGNIN_MAX_PER_IP,
      windowSeconds: config.CONSOLE_SIGNIN_WINDOW_SECONDS,
    }),
    policy: { idleMs: config.CONSOLE_SESSION_IDLE_MINUTES * 60_000, absoluteMs: config.CONSOLE_SESSION_ABSOLUTE_HOURS * 3_600_000 },
    serviceKeys: new ServiceKeys(pool, config.CONSOLE_SESSION_SECRET),
    sessionEnded: new SessionEnded(),
    services: serviceInstances(config),
  };
  for (const instances of Object.values(deps.services)) instances.start();
  app.addHook('onClose', async () => Object.values(deps.services).forEach((i) => i.stop()));

  // At ready, not at build: a test template database (built, never readied) must not hold an admin whose password file is gone.
  app.addHook('onReady', async () => {
    const admin = await bootstrapAdmin(pool, { email: config.CONSOLE_ADMIN_EMAIL, tenant: config.CONSOLE_ADMIN_TENANT, passwordFile: config.CONSOLE_INITIAL_PASSWORD_FILE });
    // The file's location only: the password itself is never logged.
    if (admin.created) app.log.info({ email: admin.email, passwordFile: admin.passwordFile }, 'first start: admin created; initial password written to file');
  });

  const seedKey = config.VIGIL_BOOTSTRAP_API_KEY;
  if (config.CONSOLE_SELF_SEED && seedKey) {
    let finished = false;
    app.infra.scheduler.add({
      name: 'self-seed',
      everyMs: 5_000,
      initialDelayMs: 0,
      singleton: true,
      run: async ({ signal, log }) => {
        if (finished || (finished = await seedDone(pool))) return;
        finished = await seedSelf(pool, config, { key: seedKey, services: deps.services, signal, log });
      },
    });
  }

  // The event history: one shared group for every console instance; retention on one replica.
  const history = new HistoryRecorder(pool, config.CONSOLE_HISTORY_RETENTION_DAYS);
  subscribeEventHistory(bus, history);
  app.infra.scheduler.add({
    name: 'history-retention',
    everyMs: config.CONSOLE_HISTORY_PURGE_EVERY_MS,
    initialDelayMs: 0,
    singleton: true,
    run: async ({ log }) => {
      const purged = await purgeHistory(pool, config.CONSOLE_HISTORY_RETENTION_DAYS);
      history.forget(purged.droppedPartitions);
      if (purged.droppedPartitions.length || purged.deletedRows) log.info(purged, 'event history: expired days dropped');
    },
  });
  addReportDeliveriesJob(app.infra.scheduler, deps);

  await app.register(cookie);
  registerSecurityHeaders(app);
  registerSessionGuard(app, deps);

  const hub = new StreamHub(config.CONSOLE_STREAM_REPLAY);
  const group = subscribeStream(bus, hub);
  // The stream's consumer state: 'Stable' once it has joined and reads new events.
  const streamState = async () => ({ connections: hub.connections, consumer: await bus.groupState(group).catch(() => 'unknown') });
  await app.register(healthRoutes, { deps, stream: streamState });
  await app.register(sessionRoutes, { deps });
  await app.register(preferenceRoutes, { deps });
  await app.register(savedViewRoutes, { deps });
  await app.register(adminRoutes, { deps });
  await app.register(reportRoutes, { deps });
  await app.register(overviewRoutes, { deps });
  await app.register(frontDoorRoutes, { deps });
  await app.register(streamRoutes, { deps, hub });
  await app.register(historyRoutes, { deps });
  await app.register(incidentRoutes, { deps });
  await app.register(webRoutes, { dist: config.CONSOLE_WEB_DIST });
  return app;
}
