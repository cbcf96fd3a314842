// The five services on one real broker and database: an event published by one
// service changes another service's tables.
import { describe, expect } from 'vitest';
import { eventually, platformTest } from '@vigil/service-kit/testing';
import * as alerting from '../services/alerting/src/app.js';
import { loadServiceConfig as alertingConfig } from '../services/alerting/src/config.js';
import * as dr from '../services/dr-orchestrator/src/app.js';
import { loadServiceConfig as drConfig } from '../services/dr-orchestrator/src/config.js';
import * as errorIngest from '../services/error-ingest/src/app.js';
import { loadServiceConfig as errorIngestConfig } from '../services/error-ingest/src/config.js';
import * as gdpr from '../services/gdpr/src/app.js';
import { loadServiceConfig as gdprConfig } from '../services/gdpr/src/config.js';
import * as perf from '../services/perf-collector/src/app.js';
import { loadServiceConfig as perfConfig } from '../services/perf-collector/src/config.js';

const it = platformTest({
  label: 'skeleton',
  apps: {
    gdpr: (env) => gdpr.buildApp(gdprConfig(env)),
    perf: (env) => perf.buildApp(perfConfig(env)),
    alerting: (env) => alerting.buildApp(alertingConfig(env)),
    errors: (env) => errorIngest.buildApp(errorIngestConfig(env)),
    dr: (env) => dr.buildApp(drConfig(env)),
  },
});

describe('walking skeleton', () => {
  it('every service serves health, readiness, metrics and OpenAPI docs', { timeout: 180_000 }, async ({ apps }) => {
    for (const [name, app] of Object.entries(apps)) {
      expect((await app.inject({ url: '/healthz' })).json(), name).toEqual({ status: 'ok' });
      const ready = await app.inject({ url: '/readyz' });
      expect(ready.statusCode, `${name} ${ready.body}`).toBe(200);
      expect(ready.json().checks).toEqual({ postgres: 'ok', redis: 'ok', kafka: 'ok' });
      const metrics = await app.inject({ url: '/metrics' });
      expect(metrics.body).toContain('vigil_events_published_total');
      const docs = await app.inject({ url: '/docs/json' });
      expect(docs.statusCode).toBe(200);
      expect(docs.json().openapi).toMatch(/^3\./);
    }
  });

  it('services register as data holders through Kafka; gdpr records them', async ({ apps, kit }) => {
    const key = await kit.apiKey('acme', 'write');
    const holders = await eventually(async () => {
      const res = await apps.gdpr.inject({ url: '/v1/data-holders', headers: { authorization: `Bearer ${key}` } });
      const list = res.json().items as { service: string }[];
      return list.length >= 4 ? list : undefined;
    });
    expect(holders.map((h) => h.service).sort()).toEqual(['dr-orchestrator', 'error-ingest', 'gdpr', 'perf-collector']);
  });

  it('a low health score from perf-collector fires an alert in alerting, and a good one resolves it', async ({ apps, kit }) => {
    const key = await kit.apiKey('acme', 'write');
    const headers = { authorization: `Bearer ${key}` };
    // Snapshots are for a registered database (its address is unreachable: no collection scores it meanwhile).
    const target = await apps.perf.inject({ method: 'POST', url: '/v1/databases', headers, payload: { name: 'orders', connectionString: 'postgres://vigil@127.0.0.1:9/orders', intervalSeconds: 86_400 } });
    expect(target.statusCode, target.body).toBe(201);
    const databaseId = target.json().id as string;
    const bad = await apps.perf.inject({
      method: 'POST',
      url: `/v1/databases/${databaseId}/health-snapshots`,
      headers,
      payload: { databaseName: 'orders', maxMeanQueryMs: 6_000, connectionsUsed: 97, maxConnections: 100, cacheHitRatio: 0.8, connectionLatencyMs: 20 },
    });
    expect(bad.statusCode).toBe(201);
    expect(bad.json().score).toBe(35);
    const firing = await eventually(async () => {
      const list = (await apps.alerting.inject({ url: '/v1/alerts?state=firing', headers })).json().items as { labels: Record<string, string> }[];
      return list.find((a) => a.labels.database_id === databaseId);
    });
    expect(firing.labels.alertname).toBe('DatabaseHealthLow');

    await apps.perf.inject({
      method: 'POST',
      url: `/v1/databases/${databaseId}/health-snapshots`,
      headers,
      payload: { databaseName: 'orders', maxMeanQueryMs: 5, connectionsUsed: 3, maxConnections: 100, cacheHitRatio: 0.99, connectionLatencyMs: 1 },
    });
    await eventually(async () => {
      const list = (await apps.alerting.inject({ url: '/v1/alerts?state=resolved', headers })).json().items as { labels: Record<string, string> }[];
      return list.some((a) => a.labels.database_id === databaseId);
    });
    // Another tenant sees nothing of acme's alerts.
    const other = await kit.apiKey('globex', 'read');
    const theirs = await apps.alerting.inject({ url: '/v1/alerts', headers: { authorization: `Bearer ${other}` } });
    expect(theirs.json()).toEqual({ items: [], nextCursor: null });
  });
});
