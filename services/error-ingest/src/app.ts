// error-ingest: plugins, then routes, then consumers, then jobs.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServiceApp, packageVersion } from '@vigil/service-kit';
import { subjectRef } from '@vigil/privacy';
import { RateLimiter } from './clients/rate-limiter.js';
import type { Config } from './config.js';
import { subscribeAcceptedEvents } from './consumers/error-event-accepted.js';
import { answerSubjectRequests } from './consumers/subject-requests.js';
import { retentionTask } from './jobs/retention.js';
import { createIntakeMetrics } from './metrics.js';
import { AcceptQueue } from './operations/accept-queue.js';
import { EventIntake } from './operations/event-intake.js';
import { Ingest } from './operations/ingest.js';
import { ingestRoutes } from './routes/ingest.js';
import { issueInsightRoutes } from './routes/issue-insights.js';
import { issueRoutes } from './routes/issues.js';
import { projectRoutes } from './routes/projects.js';

const MIGRATIONS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'migrations');

export async function buildApp(config: Config) {
  const app = await createServiceApp({
    name: 'error-ingest',
    schema: 'errors',
    version: packageVersion(import.meta.url),
    description: 'Sentry-compatible error tracking',
    config,
    migrationsDir: MIGRATIONS,
    dataHolder: {
      categories: [
        {
          category: 'error-events',
          tables: ['errors.events', 'errors.accepted_events'],
          description:
            'Error events (scrubbed) with user context as pseudonyms, tags and request data; raw events travel on Kafka (errors.events, topic retention) or wait in the accepted_events spool until processed',
        },
        { category: 'subject-pseudonyms', tables: ['errors.event_subjects', 'errors.issue_users'], description: 'HMAC pseudonyms of user id, email, username and IP per event and per issue' },
      ],
      handles: ['erasure', 'export'],
    },
  });
  const { pool, bus, outbox, redis } = app.infra;

  const spool = new AcceptQueue({ pool, outbox, maxBatch: config.ERRORS_INGEST_BATCH_MAX, maxBytes: config.ERRORS_INGEST_BATCH_BYTES });
  const intake = new EventIntake({
    bus,
    spool,
    metrics: createIntakeMetrics(app.infra.registry, pool),
    log: app.log,
    deadlineMs: config.ERRORS_KAFKA_ACK_DEADLINE_MS,
    holdMs: config.ERRORS_SPOOL_HOLD_MS,
    maxPending: config.ERRORS_KAFKA_MAX_PENDING,
  });
  const limiter = new RateLimiter({ redis, burstSeconds: config.ERRORS_RATE_BURST_SECONDS, warn: (err) => app.log.warn({ err: err.message }, 'rate limiter unavailable; admitting') });
  const ingest = new Ingest(pool, intake, limiter, {
    maxEnvelopeBytes: config.ERRORS_MAX_ENVELOPE_BYTES,
    maxEventBytes: config.ERRORS_MAX_EVENT_BYTES,
    defaultProjectPerMinute: config.ERRORS_RATE_LIMIT_PER_MINUTE,
    defaultKeyPerMinute: config.ERRORS_KEY_RATE_LIMIT_PER_MINUTE,
    keyCacheMs: config.ERRORS_KEY_CACHE_MS,
    keyStaleMs: config.ERRORS_KEY_STALE_MS,
  });

  // ERRORS_ROLE splits intake from processing, so each scales on its own behind the same topic.
  const serving = config.ERRORS_ROLE !== 'process';
  const processing = config.ERRORS_ROLE !== 'ingest';
  if (serving) await app.register(ingestRoutes, { ingest, maxEnvelopeBytes: config.ERRORS_MAX_ENVELOPE_BYTES });
  await app.register(projectRoutes, { prefix: '/v1', pool, publicUrl: config.ERRORS_PUBLIC_URL, onKeysChanged: () => ingest.invalidateKeys() });
  await app.register(issueRoutes, { prefix: '/v1', pool });
  await app.register(issueInsightRoutes, { prefix: '/v1', pool });

  if (processing) {
    subscribeAcceptedEvents(bus, pool, {
      outbox,
      pseudonymKey: config.VIGIL_PSEUDONYM_KEY,
      publicUrl: config.ERRORS_PUBLIC_URL,
      subjectRef,
      spike: { minCount: config.ERRORS_SPIKE_MIN_COUNT, zThreshold: config.ERRORS_SPIKE_Z, cooldownMinutes: config.ERRORS_SPIKE_COOLDOWN_MINUTES },
    }, { maxBatch: config.ERRORS_PROCESS_BATCH_MAX, maxBatchBytes: config.ERRORS_PROCESS_BATCH_BYTES });
    answerSubjectRequests(app.infra, config.VIGIL_PSEUDONYM_KEY);
    // Started by the kit once consumers and the relay run, stopped first on close.
    app.infra.scheduler.add(retentionTask(pool, config.ERRORS_RETENTION_INTERVAL_MS));
  }
  // Before the kit's onClose: in-flight accepts commit while the pool is still open (Kafka sends
  // in flight finish before the producer disconnects: the kit's producer drains its queue).
  app.addHook('preClose', async () => {
    await intake.drained();
  });
  return app;
}
