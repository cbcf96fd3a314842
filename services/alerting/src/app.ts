// alerting: plugins, then routes, then consumers.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServiceApp } from '@vigil/service-kit';
import type { Config } from './config.js';
import { subscribeHealthScores } from './consumers/health-scored.js';
import { alertRoutes } from './routes/alerts.js';
const MIGRATIONS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'migrations');

export async function buildApp(config: Config) {
  const app = await createServiceApp({
    name: 'alerting',
    schema: 'alerting',
    version: '0.1.0',
    description: 'Alert rules, lifecycle, routing, silences and notifications',
    config,
    migrationsDir: MIGRATIONS,
  });
  const { pool, bus } = app.infra;
  await app.register(alertRoutes, { prefix: '/v1', pool });
  subscribeHealthScores(bus, pool, config.ALERT_HEALTH_SCORE_FLOOR);
  return app;
}
