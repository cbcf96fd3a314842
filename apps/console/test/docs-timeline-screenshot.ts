// Regenerates docs/console-timeline.png: three hours of a small incident told on the bus (a release that
// slows a query, the orders database's health drops, error events climb, a spike, alerts fire, are
// acknowledged and resolve; a failed backup, a GDPR deadline), recorded by the console's history consumer,
// shown on /incidents around the alert.  Run: npx tsx apps/console/test/docs-timeline-screenshot.ts
import { fileURLToPath } from 'node:url';
import { Registry } from 'prom-client';
import { AlertStateChanged, BackupFinished, ErrorEventsProcessed, ErrorSpikeDetected, EventBus, GdprDeadlineWarning, HealthScored, IssueOpened, IssueRegressed, SlowQueryDetected, VerificationFinished } from '@vigil/events';
import { eventually } from '@vigil/service-kit/testing';
import { launchBrowser, newUserPage } from './fixtures/browser.js';
import { adminOverHttp, startPlatform } from './fixtures/platform.js';

const OUT = fileURLToPath(new URL('../../../docs/console-timeline.png', import.meta.url));
const MIN = 60_000;
const p = await startPlatform('condocstl');
const tenantId = p.admin.tenant;
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const bus = new EventBus({ brokers: p.env.env.KAFKA_BROKERS!.split(','), service: 'docs', logger: quiet, registry: new Registry(), namespace: p.env.namespace });
await bus.start();
const T = Math.floor(Date.now() / MIN) * MIN;
const at = (minutesAgo: number) => new Date(T - minutesAgo * MIN);
const iso = (minutesAgo: number) => at(minutesAgo).toISOString();
let count = 0;
const opts = (minutesAgo: number) => ({ tenantId, occurredAt: at(minutesAgo) });

// Health every minute for two databases; orders drops 40 minutes ago (a slow query) and recovers 12 minutes ago.
for (const [id, name] of [['db-orders', 'orders'], ['db-catalog', 'catalog']] as const) {
  const items = Array.from({ length: 180 }, (_, k) => {
    const ago = 180 - k;
    const bad = id === 'db-orders' && ago <= 40 && ago > 12;
    const score = bad ? 58 - (ago % 3) : id === 'db-orders' ? 94 + (ago % 4) : 97 + (ago % 3);
    const components = bad ? [{ name: 'query_time', penalty: 38, detail: 'slowest statement 6200 ms mean, at or above critical 5000 ms' }] : [{ name: 'cache_hit', penalty: 100 - score, detail: '98 % hits' }];
    return { data: { databaseId: id, databaseName: name, score, status: (score < 80 ? 'warning' : 'healthy') as 'warning' | 'healthy', components, scoredAt: iso(ago) }, opts: opts(ago) };
  });
  await bus.publishMany(HealthScored, items);
  count += items.length;
}
// Error events processed every minute: a low baseline, climbing from 46 minutes ago, back down after the rollback.
const rate = Array.from({ length: 180 }, (_, k) => {
  const ago = 180 - k;
  const n = ago <= 46 && ago > 12 ? 40 + ((ago * 7) % 35) : 2 + ((ago * 5) % 4);
  return { data: { projectId: '1', eventCount: n, issueCount: 1, firstReceivedAt: iso(ago), lastReceivedAt: iso(ago) }, opts: opts(ago) };
});
await bus.publishMany(ErrorEventsProcessed, rate);
count += rate.length;
const issue = { projectId: '1', level: 'error', count: 1, release: 'shop@2.4.1' };
await bus.publish(IssueRegressed, { ...issue, issueId: '17', title: "TypeError: Cannot read properties of undefined (reading 'total')", resolvedInRelease: 'shop@2.4.0' }, opts(150));
await bus.publish(IssueOpened, { ...issue, issueId: '42', title: 'TimeoutError: inventory service did not answer within 5000 ms', firstSeen: iso(47) }, opts(47));
await bus.publish(ErrorSpikeDetected, { ...issue, issueId: '42', title: 'TimeoutError: inventory service did not answer within 5000 ms', count: 310, windowStart: iso(45), windowMinutes: 1, baseline: 1.5, zScore: 31 }, opts(45));
await bus.publish(SlowQueryDetected, { databaseId: 'db-orders', databaseName: 'orders', queryId: '881', query: 'SELECT * FROM orders WHERE customer_id = $1', calls: 1200, meanMs: 6200, severity: 'critical', detectedAt: iso(41) }, opts(41));
const alert = (alertId: string, name: string, severity: 'critical' | 'warning', state: 'firing' | 'acknowledged' | 'resolved', ago: number) =>
  bus.publish(AlertStateChanged, { alertId, fingerprint: alertId, state, severity, labels: { alertname: name }, annotations: {}, changedAt: iso(ago) }, opts(ago));
await alert('a-disk', 'DiskFillingUp', 'warning', 'firing', 170);
await alert('a-disk', 'DiskFillingUp', 'warning', 'resolved', 128);
await alert('a-checkout', 'CheckoutErrorRate', 'critical', 'firing', 44);
await alert('a-latency', 'OrdersLatencyHigh', 'warning', 'firing', 40);
await alert('a-checkout', 'CheckoutErrorRate', 'critical', 'acknowledged', 37);
await alert('a-latency', 'OrdersLatencyHigh', 'warning', 'resolved', 11);
await alert('a-checkout', 'CheckoutErrorRate', 'critical', 'resolved', 9);
await bus.publish(BackupFinished, { policyId: 'p-1', backupId: 'b-1', database: 'orders', outcome: 'completed', sizeBytes: 9_800_000_000, durationMs: 412_000, finishedAt: iso(160) }, opts(160));
await bus.publish(VerificationFinished, { policyId: 'p-1', backupId: 'b-1', database: 'orders', outcome: 'passed', checks: [], rtoSeconds: 380, finishedAt: iso(140) }, opts(140));
await bus.publish(BackupFinished, { policyId: 'p-2', backupId: 'b-2', database: 'catalog', outcome: 'failed', durationMs: 31_000, error: 'disk full', finishedAt: iso(95) }, opts(95));
await bus.publish(GdprDeadlineWarning, { subject: 'request', refId: 'r-7', state: 'near', deadline: new Date(T + 2 * 86_400_000).toISOString(), detail: 'erasure request due in 2 days; waiting for error-ingest' }, opts(70));
count += 15;
await bus.stop();
await eventually(async () => (await p.db.query(`SELECT count(*)::int AS n FROM console.event_history WHERE tenant_id = $1`, [tenantId])).rows[0].n >= count, 120_000, 500);

const admin = await adminOverHttp(p, 'Docs-Timeline-Password-42');
const browser = await launchBrowser();
try {
  const { context, page } = await newUserPage(browser, p.url);
  await page.setViewportSize({ width: 1440, height: 900 });
  await context.addCookies([{ name: 'vigil_session', value: admin.token, url: p.url, httpOnly: true, sameSite: 'Strict' }]);
  await page.goto(`/incidents?from=${iso(180)}&to=${iso(-5)}&alert=a-checkout&at=${iso(44)}`);
  await page.getByTestId('timeline').waitFor();
  await page.getByRole('table', { name: 'Events, newest first' }).waitFor();
  // The cursor where the trouble started, so the readout tells every lane at that minute.
  const box = (await page.locator('.lane-errors .lane-plot .u-over').boundingBox())!;
  await page.mouse.move(box.x + box.width * (136 / 185), box.y + box.height / 2);
  await page.waitForTimeout(300);
  await page.screenshot({ path: OUT, fullPage: false, animations: 'disabled' });
  console.log(`wrote ${OUT}`);
} finally {
  await browser.close();
  await p.close();
}
process.exit(0);
