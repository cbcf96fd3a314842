// gdpr: plugins, then routes, then consumers.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServiceApp } from '@vigil/service-kit';
import type { Config } from './config.js';
import { subscribeDataHolders } from './consumers/data-holder-registered.js';
import { consentRoutes } from './routes/consents.js';
import { dataHolderRoutes } from './routes/data-holders.js';

const MIGRATIONS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'migrations');

export async function buildApp(config: Config) {
  const app = await createServiceApp({
    name: 'gdpr',
    schema: 'gdpr',
    version: '0.1.0',
    description: 'Consent ledger, data subject requests, audit trail, breach clock',
    config,
    migrationsDir: MIGRATIONS,
    dataHolder: {
      categories: [{ category: 'consent', tables: ['gdpr.consent_events'], description: 'Consent proofs (pseudonymised subject, IP and user agent)' }],
      handles: ['export'],
    },
  });
  const { pool, outbox, bus } = app.infra;
  await app.register(consentRoutes, { prefix: '/v1', deps: { pool, outbox, pseudonymKey: config.VIGIL_PSEUDONYM_KEY } });
  await app.register(dataHolderRoutes, { prefix: '/v1', pool });
  subscribeDataHolders(bus, pool);
  return app;
}
