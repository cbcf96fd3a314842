// error-ingest: plugins, then routes, then consumers.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServiceApp } from '@vigil/service-kit';
import type { Config } from './config.js';
import { projectRoutes } from './routes/projects.js';

const MIGRATIONS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'migrations');

export async function buildApp(config: Config) {
  const app = await createServiceApp({
    name: 'error-ingest',
    schema: 'errors',
    version: '0.1.0',
    description: 'Sentry-compatible error tracking',
    config,
    migrationsDir: MIGRATIONS,
    dataHolder: {
      categories: [{ category: 'error-events', tables: ['errors.events'], description: 'Error events with user context, tags and request data' }],
      handles: ['erasure', 'export'],
    },
  });
  await app.register(projectRoutes, { prefix: '/v1', pool: app.infra.pool });
  return app;
}
