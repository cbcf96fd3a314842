// perf-collector: plugins, then routes, then consumers.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServiceApp } from '@vigil/service-kit';
import type { Config } from './config.js';
import { healthRoutes } from './routes/health.js';

const MIGRATIONS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'migrations');

export async function buildApp(config: Config) {
  const app = await createServiceApp({
    name: 'perf-collector',
    schema: 'perf',
    version: '0.1.0',
    description: 'PostgreSQL health, slow queries, index advice, capacity planning and APM',
    config,
    migrationsDir: MIGRATIONS,
    dataHolder: {
      categories: [{ category: 'query-text', tables: [], description: 'Normalised SQL texts may embed identifiers; literals are stripped' }],
      handles: ['erasure', 'export'],
    },
  });
  const { pool, outbox } = app.infra;
  await app.register(healthRoutes, { prefix: '/v1', pool, outbox });
  return app;
}
