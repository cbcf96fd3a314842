// dr-orchestrator: plugins, then routes, then consumers, then jobs.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServiceApp, packageVersion } from '@vigil/service-kit';
import type { Config } from './config.js';
import { loadRunbooks } from './clients/runbook-files.js';
import { answerSubjectRequests } from './consumers/subject-requests.js';
import { schedulePolicies } from './jobs/policy-schedule.js';
import { OperationRunner } from './operations/runner.js';
import { operationRoutes } from './routes/operations.js';
import { policyRoutes } from './routes/policies.js';
import { reportRoutes } from './routes/reports.js';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

declare module 'fastify' {
  interface FastifyInstance {
    dr: { runner: OperationRunner };
  }
}

export async function buildApp(config: Config) {
  const app = await createServiceApp({
    name: 'dr-orchestrator',
    schema: 'dr',
    version: packageVersion(import.meta.url),
    description: 'Backups proven by restore, RTO/RPO monitoring, DR drills and runbooks',
    config,
    migrationsDir: path.join(ROOT, 'migrations'),
    dataHolder: {
      categories: [{ category: 'backups', tables: [], description: 'Database backups contain personal data; kept under the backup retention exception' }],
      handles: ['export'],
    },
  });
  const { pool, outbox } = app.infra;
  const ctx = { pool, outbox, config, log: app.log.child({ component: 'dr-operations' }) };
  const runner = new OperationRunner(ctx);
  app.decorate('dr', { runner });
  const runbooks = await loadRunbooks(path.join(ROOT, 'runbooks'));

  await app.register(policyRoutes, { prefix: '/v1', pool, config, runner });
  await app.register(operationRoutes, { prefix: '/v1', pool, runner });
  await app.register(reportRoutes, { prefix: '/v1', pool, runbooks });
  answerSubjectRequests(app.infra);

  if (config.DR_SCHEDULER_ENABLED) schedulePolicies(app.infra.scheduler, ctx, runner);
  // preClose runs before the kit's onClose: running operations stop while the pool and outbox still work.
  app.addHook('preClose', async () => {
    await runner.close();
  });
  return app;
}
