// perf-collector: plugins, then routes, then consumers, then jobs (collection cycles, raw-sample
// retention, self-monitoring) on the kit's task scheduler.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServiceApp, packageVersion } from '@vigil/service-kit';
import type { Config } from './config.js';
import { answerSubjectRequests } from './consumers/subject-requests.js';
import type { CollectDeps } from './operations/collect.js';
import { APM_CATEGORY } from './operations/subject-data.js';
import { collectionJob } from './jobs/collection.js';
import { selfMonitorTask } from './jobs/self-monitor.js';
import { apmRoutes } from './routes/apm.js';
import { healthRoutes } from './routes/health.js';
import { insightRoutes } from './routes/insights.js';
import { otlpRoutes } from './routes/otlp.js';
import { statementRoutes } from './routes/statements.js';
import { targetRoutes } from './routes/targets.js';

const MIGRATIONS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'migrations');

export async function buildApp(config: Config) {
  const app = await createServiceApp({
    name: 'perf-collector',
    schema: 'perf',
    version: packageVersion(import.meta.url),
    description: 'PostgreSQL health, slow queries, index advice, capacity planning and APM',
    config,
    migrationsDir: MIGRATIONS,
    dataHolder: {
      categories: [
        { category: 'query-text', tables: [], description: 'Normalised SQL texts may embed identifiers; literals are stripped' },
        { category: APM_CATEGORY, tables: ['perf.apm_points'], description: 'Metric attributes pushed over OTLP may carry a user id or email' },
      ],
      handles: ['erasure', 'export'],
    },
  });
  const { pool, outbox } = app.infra;
  const collect: CollectDeps = {
    pool,
    outbox,
    secretKey: config.PERF_SECRET_KEY,
    settings: {
      timeoutMs: config.PERF_TARGET_TIMEOUT_MS,
      topStatements: config.PERF_TOP_STATEMENTS,
      explainWorst: config.PERF_EXPLAIN_WORST,
      advisorMinRows: config.PERF_ADVISOR_MIN_ROWS,
    },
  };
  await app.register(healthRoutes, { prefix: '/v1', pool, outbox });
  await app.register(targetRoutes, { prefix: '/v1', pool, secretKey: config.PERF_SECRET_KEY, defaultIntervalS: config.PERF_DEFAULT_INTERVAL_S, collect });
  await app.register(insightRoutes, { prefix: '/v1', pool });
  await app.register(statementRoutes, { prefix: '/v1', pool, secretKey: config.PERF_SECRET_KEY, timeoutMs: config.PERF_TARGET_TIMEOUT_MS });
  await app.register(apmRoutes, { prefix: '/v1', pool });
  await app.register(otlpRoutes, { prefix: '/v1', pool, outbox, maxBytes: config.PERF_OTLP_MAX_BYTES });

  answerSubjectRequests(app.infra);

  // The kit starts the scheduler once consumers and the relay run, and stops it first on close.
  const { scheduler } = app.infra;
  if (config.PERF_COLLECTOR_ENABLED) {
    const collection = collectionJob(collect, { tickMs: config.PERF_SCHEDULER_TICK_MS, concurrency: config.PERF_COLLECT_CONCURRENCY, retentionDays: config.PERF_RAW_RETENTION_DAYS });
    for (const task of collection.tasks) scheduler.add(task);
    // Before the kit's onClose: running cycles finish (each within its budget) while the pool is open.
    app.addHook('preClose', () => collection.drain());
  }
  const selfMonitor = selfMonitorTask({ pool, outbox }, { spec: config.PERF_SELF_MONITOR_URLS, intervalS: config.PERF_SELF_MONITOR_INTERVAL_S });
  if (selfMonitor) scheduler.add(selfMonitor);
  return app;
}
