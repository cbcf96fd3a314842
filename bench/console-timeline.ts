// bench:console, the incident timeline: 50,000 catalog events over the last 24 hours published on the bus,
// recorded by the console's history consumer, then /incidents?range=24h opened in a fresh browser context.
// Figures (median of runs): navigation → every lane drawn, the timeline API's time, and data arrival → drawn.
import { Registry } from 'prom-client';
import type { Browser } from 'playwright-core';
import { AlertStateChanged, BackupFinished, ErrorEventsProcessed, ErrorSpikeDetected, EventBus, GdprDeadlineWarning, HealthScored, IssueOpened, type AnyEventDefinition } from '@vigil/events';
import { eventually } from '@vigil/service-kit/testing';
import { newUserPage } from '../apps/console/test/fixtures/browser.js';
import type { Platform } from '../apps/console/test/fixtures/platform.js';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const DAY = 86_400_000;

/** Publishes `total` events spread over the last 24 h (health scores, error counts, alerts, issues, spikes, backups, deadlines). */
async function publishDay(p: Platform, tenantId: string, total: number): Promise<number> {
  const bus = new EventBus({ brokers: p.env.env.KAFKA_BROKERS!.split(','), service: 'bench', logger: quiet, registry: new Registry(), namespace: p.env.namespace });
  await bus.start();
  const t0 = performance.now();
  const end = Date.now();
  const at = (i: number) => new Date(end - DAY + Math.floor(((i + 0.5) / total) * DAY));
  const mix: [number, AnyEventDefinition, (i: number, when: Date) => Record<string, unknown>][] = [
    [0.4, HealthScored, (i, when) => ({ databaseId: `bench-db-${i % 5}`, databaseName: `bench-db-${i % 5}`, score: 60 + ((i * 7) % 41), status: 'healthy', components: [], scoredAt: when.toISOString() })],
    [0.4, ErrorEventsProcessed, (i, when) => ({ projectId: '1', eventCount: 1 + (i % 5), issueCount: 1, firstReceivedAt: when.toISOString(), lastReceivedAt: when.toISOString() })],
    [0.12, AlertStateChanged, (i, when) => ({ alertId: `bench-${i}`, fingerprint: `fp-${i % 300}`, state: (['firing', 'acknowledged', 'resolved'] as const)[i % 3], severity: (['critical', 'warning', 'info'] as const)[i % 3], labels: { alertname: `BenchAlert${i % 40}` }, annotations: {}, changedAt: when.toISOString() })],
    [0.04, IssueOpened, (i, when) => ({ projectId: '1', issueId: `issue-${i}`, title: `BenchError${i}`, level: 'error', count: 1, firstSeen: when.toISOString() })],
    [0.02, ErrorSpikeDetected, (i, when) => ({ projectId: '1', issueId: `issue-${i}`, title: `BenchError${i}`, level: 'error', count: 40, windowStart: when.toISOString(), windowMinutes: 1, baseline: 1, zScore: 12 })],
    [0.01, BackupFinished, (i, when) => ({ policyId: 'bench-policy', backupId: `b-${i}`, database: 'bench-db-0', outcome: i % 10 ? 'completed' : 'failed', durationMs: 1200, finishedAt: when.toISOString() })],
    [0.01, GdprDeadlineWarning, (i, when) => ({ subject: i % 2 ? 'request' : 'breach', refId: `ref-${i}`, state: 'near', deadline: new Date(when.getTime() + DAY).toISOString(), detail: 'bench deadline' })],
  ];
  let published = 0;
  try {
    for (const [share, def, data] of mix) {
      const n = Math.round(share * total);
      for (let b = 0; b < n; b += 1000) {
        const items = Array.from({ length: Math.min(1000, n - b) }, (_, k) => {
          const i = b + k;
          const when = at(Math.floor((i / n) * total));
          return { data: data(i, when), opts: { tenantId, occurredAt: when } };
        });
        await bus.publishMany(def, items);
        published += items.length;
      }
    }
  } finally {
    await bus.stop();
  }
  console.log(`timeline: published ${published} events over 24 h in ${Math.round(performance.now() - t0)} ms`);
  return published;
}

export interface TimelineFigures {
  renderMs: number;
  apiMs: number;
  drawMs: number;
  runs: number[];
  recordSeconds: number;
  events: number;
}

export async function measureTimeline(browser: Browser, p: Platform, token: string, { events = 50_000, runs = 3 } = {}): Promise<TimelineFigures> {
  const t0 = performance.now();
  const published = await publishDay(p, p.admin.tenant, events);
  await eventually(async () => {
    const { rows } = await p.db.query(`SELECT count(*)::int AS n FROM console.event_history WHERE tenant_id = $1 AND occurred_at >= now() - interval '25 hours'`, [p.admin.tenant]);
    return rows[0].n >= published;
  }, 300_000, 500);
  const recordSeconds = (performance.now() - t0) / 1000;
  console.log(`timeline: ${published} events recorded by the history consumer ${Math.round(recordSeconds * 10) / 10} s after publishing began`);

  const figures: { render: number; api: number; draw: number }[] = [];
  for (let r = 0; r < runs; r++) {
    const { context, page } = await newUserPage(browser, p.url);
    await context.addCookies([{ name: 'vigil_session', value: token, url: p.url, httpOnly: true, sameSite: 'Strict' }]);
    await page.goto('/incidents?range=24h', { waitUntil: 'commit' });
    const handle = await page.waitForFunction(
      (min) => {
        const mark = performance.getEntriesByName('vigil:timeline-rendered').find((m) => ((m as PerformanceMark).detail?.events ?? 0) >= min);
        const res = performance.getEntriesByType('resource').find((e) => e.name.includes('/api/history/timeline')) as PerformanceResourceTiming | undefined;
        return mark && res ? { render: mark.startTime, api: res.responseEnd - res.requestStart, draw: mark.startTime - res.responseEnd } : false;
      },
      Math.floor(published * 0.5),
      { polling: 'raf', timeout: 30_000 },
    );
    const f = (await handle.jsonValue()) as { render: number; api: number; draw: number };
    figures.push(f);
    console.log(`timeline run ${r + 1}: drawn ${Math.round(f.render)} ms after navigation start (API ${Math.round(f.api)} ms, data → drawn ${Math.round(f.draw)} ms)${r === 0 ? ' (first: cold browser cache)' : ''}`);
    await context.close();
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return {
    renderMs: Math.round(median(figures.map((f) => f.render))),
    apiMs: Math.round(median(figures.map((f) => f.api))),
    drawMs: Math.round(median(figures.map((f) => f.draw))),
    runs: figures.map((f) => Math.round(f.render)),
    recordSeconds: Math.round(recordSeconds * 10) / 10,
    events: published,
  };
}
