// gdpr: kit plugins, then routes, then consumers, then jobs.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServiceApp, packageVersion } from '@vigil/service-kit';
import type { Config } from './config.js';
import { subscribeAuditFeed } from './consumers/audit-feed.js';
import { subscribeDataHolders } from './consumers/data-holder-registered.js';
import { subscribeReceipts } from './consumers/request-receipts.js';
import { answerSubjectRequests } from './consumers/subject-requests.js';
import { signingKeyFromSeed } from './domain/audit-chain.js';
import { scheduleAuditCheckpoints } from './jobs/audit-checkpoint.js';
import { scheduleDeadlineWatch } from './jobs/deadline-watch.js';
import { scheduleRetentionPurge } from './jobs/retention-purge.js';
import type { AuditDeps } from './operations/audit.js';
import { ConsentWriter } from './operations/consent-writer.js';
import type { RequestDeps } from './operations/requests.js';
import { auditRoutes } from './routes/audit.js';
import { breachRoutes } from './routes/breaches.js';
import { consentRoutes } from './routes/consents.js';
import { dataHolderRoutes } from './routes/data-holders.js';
import { exceptionRoutes } from './routes/exceptions.js';
import { recordRoutes } from './routes/records.js';
import { reportRoutes } from './routes/reports.js';
import { subjectRequestRoutes } from './routes/subject-requests.js';

const MIGRATIONS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'migrations');
export const SERVICE = 'gdpr';

export async function buildApp(config: Config) {
  const app = await createServiceApp({
    name: SERVICE,
    schema: 'gdpr',
    version: packageVersion(import.meta.url),
    description: 'Consent ledger, data subject requests, audit trail, records of processing, breach clock',
    config,
    migrationsDir: MIGRATIONS,
    dataHolder: {
      categories: [{ category: 'consent', tables: ['gdpr.consent_events'], description: 'Consent proofs (pseudonymised subject, IP and user agent)' }],
      handles: ['erasure', 'export'],
    },
  });
  const { pool, outbox, bus, schema, scheduler } = app.infra;
  const pseudonymKey = config.VIGIL_PSEUDONYM_KEY;
  const requestDeps: RequestDeps = { pool, outbox, pseudonymKey };
  const auditDeps: AuditDeps = { pool, pseudonymKey, signingKey: signingKeyFromSeed(config.GDPR_AUDIT_SIGNING_SEED) };

  await app.register(consentRoutes, { prefix: '/v1', deps: { pool, writer: new ConsentWriter(pool, outbox, { pseudonymKey }), pseudonymKey } });
  await app.register(dataHolderRoutes, { prefix: '/v1', pool });
  await app.register(subjectRequestRoutes, { prefix: '/v1', deps: requestDeps });
  await app.register(exceptionRoutes, { prefix: '/v1', deps: requestDeps });
  await app.register(auditRoutes, { prefix: '/v1', deps: auditDeps });
  await app.register(recordRoutes, { prefix: '/v1', pool });
  await app.register(breachRoutes, { prefix: '/v1', pool });
  await app.register(reportRoutes, { prefix: '/v1', deps: auditDeps });

  subscribeDataHolders(bus, pool);
  subscribeReceipts(bus, pool);
  subscribeAuditFeed(bus, pool, pseudonymKey);
  answerSubjectRequests({ bus, pool, outbox, schema }, pseudonymKey);

  // On the kit's scheduler: started after consumers and relay, stopped first on close; each
  // is cross-tenant work, so it runs on one replica at a time.
  scheduleDeadlineWatch(scheduler, { pool, outbox }, config);
  scheduleRetentionPurge(scheduler, requestDeps, config);
  scheduleAuditCheckpoints(scheduler, auditDeps, config);
  return app;
}
