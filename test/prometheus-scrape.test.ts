// A real Prometheus scrapes every Vigil service's /metrics (all five apps, in process, each on
// its own loopback port) and reports every target up, with no scrape error, through its own API.
import { expect, onTestFinished } from 'vitest';
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
import { listenOnLoopback, scratchDir, startPrometheus } from './prometheus-programs.js';

const small = { DATABASE_POOL_MAX: '3' };
const it = platformTest({
  label: 'promscrape',
  apps: {
    alerting: (env) => alerting.buildApp(alertingConfig({ ...env, ...small })),
    'error-ingest': (env) => errorIngest.buildApp(errorIngestConfig({ ...env, ...small })),
    gdpr: (env) => gdpr.buildApp(gdprConfig({ ...env, ...small })),
    'perf-collector': (env) => perf.buildApp(perfConfig({ ...env, ...small, PERF_COLLECTOR_ENABLED: 'false' })),
    'dr-orchestrator': (env) => dr.buildApp(drConfig({ ...env, ...small, DR_SCHEDULER_ENABLED: 'false' })),
  },
});

type Target = { labels: Record<string, string>; health: string; lastError: string; scrapeUrl: string };

it('Prometheus scrapes every service with up == 1 and no scrape errors', { timeout: 240_000 }, async ({ apps }) => {
  const targets: Record<string, string> = {};
  for (const [name, app] of Object.entries(apps)) targets[name] = await listenOnLoopback(app);
  const scratch = scratchDir('promscrape');
  onTestFinished(() => scratch.remove());
  const prometheus = await startPrometheus(scratch.dir, {
    global: { scrape_interval: '1s', scrape_timeout: '1s' },
    scrape_configs: Object.entries(targets).map(([name, address]) => ({ job_name: name, static_configs: [{ targets: [address] }] })),
  });
  onTestFinished(() => prometheus.stop());

  // Two scrapes of each target, so `up` and the target list are settled, not first impressions.
  const up = await eventually(async () => {
    const series = await prometheus.query('count_over_time(up[1m]) >= 2');
    return series.length === 5 ? prometheus.query('up') : undefined;
  }, 60_000, 250);
  expect(Object.fromEntries(up.map((s) => [s.metric.job, s.value[1]]))).toEqual({ alerting: '1', 'error-ingest': '1', gdpr: '1', 'perf-collector': '1', 'dr-orchestrator': '1' });

  const { activeTargets } = await prometheus.api<{ activeTargets: Target[] }>('/api/v1/targets?state=active');
  expect(activeTargets.map((t) => [t.labels.job, t.health, t.lastError]).sort()).toEqual(Object.keys(targets).sort().map((job) => [job, 'up', '']));
  // Each scrape brought real samples (the service label set by the kit's registry).
  const samples = await prometheus.query('scrape_samples_scraped');
  for (const s of samples) expect(Number(s.value[1]), s.metric.job).toBeGreaterThan(50);
  const services = await prometheus.query('count by (job, service) (process_cpu_user_seconds_total)');
  expect(services.map((s) => [s.metric.job, s.metric.service]).sort()).toEqual(Object.keys(targets).sort().map((job) => [job, job]));
});
