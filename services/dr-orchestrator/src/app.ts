// dr-orchestrator: plugins, then routes, then consumers.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServiceApp } from '@vigil/service-kit';
import type { Config } from './config.js';
import { policyRoutes } from './routes/policies.js';

const MIGRATIONS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'migrations');

export async function buildApp(config: Config) {
  const app = await createServiceApp({
    name: 'dr-orchestrator',
    schema: 'dr',
    version: '0.1.0',
    description: 'Backups proven by restore, RTO/RPO monitoring, DR drills and runbooks',
    config,
    migrationsDir: MIGRATIONS,
    dataHolder: {
      categories: [{ category: 'backups', tables: [], description: 'Database backups contain personal data; kept under the backup retention exception' }],
      handles: ['export'],
    },
  });
  await app.register(policyRoutes, { prefix: '/v1', pool: app.infra.pool });
  return app;
}
