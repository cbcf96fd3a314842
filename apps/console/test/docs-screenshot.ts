// Regenerates docs/console-overview.png: the platform with a little real data (Vigil's own database
// monitored by the real collector, a verified backup, firing alerts, error issues), the overview
// in Chromium, live events arriving while it is open.  Run: npx tsx apps/console/test/docs-screenshot.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { eventually } from '@vigil/service-kit/testing';
import { launchBrowser, newUserPage } from './fixtures/browser.js';
import { adminOverHttp, startPlatform } from './fixtures/platform.js';

const OUT = fileURLToPath(new URL('../../../docs/console-overview.png', import.meta.url));
const repo = mkdtempSync(path.join(tmpdir(), 'vigil-docs-backups-'));
const p = await startPlatform('condocs', { serviceEnv: { PERF_COLLECTOR_ENABLED: 'true', PERF_SCHEDULER_TICK_MS: '500' } });
const key = await p.env.apiKey(p.admin.tenant, 'admin');
async function api<T>(base: string, method: string, url: string, body?: unknown): Promise<T> {
  const headers = { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
  const res = await fetch(`${base}${url}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${url} ${res.status}: ${await res.text()}`);
  return (await res.json().catch(() => null)) as T;
}
const { perf, dr, alerting, errors } = p.services;

const errorsOf = [
  { type: 'TypeError', value: "Cannot read properties of undefined (reading 'total')", fn: 'renderCart', file: 'src/cart/summary.ts' },
  { type: 'PaymentDeclinedError', value: 'card_declined: insufficient funds', fn: 'capturePayment', file: 'src/payments/stripe.ts' },
  { type: 'TimeoutError', value: 'inventory service did not answer within 5000 ms', fn: 'reserveStock', file: 'src/inventory/client.ts' },
];
async function sendError(project: { id: string; publicKey: string }, e: (typeof errorsOf)[number]) {
  const res = await fetch(`${errors.url}/api/${project.id}/store/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-sentry-auth': `Sentry sentry_version=7, sentry_client=docs/1.0, sentry_key=${project.publicKey}` },
    body: JSON.stringify({
      event_id: randomBytes(16).toString('hex'),
      level: 'error',
      platform: 'node',
      release: 'shop@2.4.1',
      environment: 'production',
      exception: { values: [{ type: e.type, value: e.value, stacktrace: { frames: [{ function: e.fn, filename: e.file, lineno: 42, in_app: true }] } }] },
    }),
  });
  if (!res.ok) throw new Error(`store ${res.status}`);
}

const browser = await launchBrowser();
try {
  // Vigil's own database, and a second one, collected for real every 5 s.
  for (const name of ['vigil', 'shop-orders']) await api(perf.url, 'POST', '/v1/databases', { name, connectionString: p.env.databaseUrl, intervalSeconds: 5 });
  // A daily backup-and-verify policy for it, drilled once now (backup, restore into a scratch database, checks).
  const policy = await api<{ id: string }>(dr.url, 'POST', '/v1/policies', { name: 'vigil-daily', sourceUrl: p.env.databaseUrl, schedule: '0 3 * * *', repositoryPath: repo, rpoTargetSeconds: 86_400 });
  const finished = (url: string) =>
    eventually(async () => {
      const op = await api<{ status: string }>(dr.url, 'GET', url);
      return ['running', 'pending', 'queued'].includes(op.status) ? undefined : op;
    }, 180_000, 1_000);
  const backup = await api<{ id: string }>(dr.url, 'POST', `/v1/policies/${policy.id}/backups`);
  console.log(`backup: ${(await finished(`/v1/backups/${backup.id}`)).status}`);
  // The policy stays busy for a moment after its backup completed.
  const check = await eventually(() => api<{ id: string }>(dr.url, 'POST', `/v1/backups/${backup.id}/verifications`), 30_000, 500);
  // Firing alerts of each severity.
  await api(alerting.url, 'POST', '/api/v2/alerts', [
    { labels: { alertname: 'ReplicationLagHigh', severity: 'critical', instance: 'shop-orders' }, annotations: { summary: 'Replica of shop-orders is 94 s behind' } },
    { labels: { alertname: 'DiskFillingUp', severity: 'warning', instance: 'vigil' }, annotations: { summary: 'Disk of vigil full within 5 days' } },
    { labels: { alertname: 'SlowQueries', severity: 'info', instance: 'vigil' }, annotations: { summary: 'p95 query time above 200 ms' } },
  ]);
  const project = await api<{ id: string }>(errors.url, 'POST', '/v1/projects', { name: 'shop' });
  const dsn = await api<{ publicKey: string }>(errors.url, 'POST', `/v1/projects/${project.id}/keys`, { label: 'default' });
  const shop = { id: project.id, publicKey: dsn.publicKey };
  await sendError(shop, errorsOf[0]!);
  await sendError(shop, errorsOf[1]!);
  await eventually(async () => (await api<{ items: unknown[] }>(perf.url, 'GET', '/v1/databases')).items.length === 2, 10_000);
  console.log(`verification: ${(await finished(`/v1/verifications/${check.id}`)).status}`);
  await new Promise((r) => setTimeout(r, 20_000)); // a few collection cycles: health scores and their trend

  const admin = await adminOverHttp(p, `Docs-${randomBytes(6).toString('hex')}-Password`);
  const { context, page } = await newUserPage(browser, p.url);
  await context.addCookies([{ name: 'vigil_session', value: admin.token, url: p.url, httpOnly: true, sameSite: 'Strict' }]);
  await page.goto('/');
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
  await eventually(async () => (await page.locator('[aria-busy="true"]').count()) === 0, 20_000);
  // Live events while the page is open: a new issue and a new alert.
  await sendError(shop, errorsOf[2]!);
  await api(alerting.url, 'POST', '/api/v2/alerts', [{ labels: { alertname: 'ErrorSpike', severity: 'warning', instance: 'shop' }, annotations: { summary: 'Error rate of shop 6x its baseline' } }]);
  await eventually(async () => (await page.getByTestId('tile-events').locator('li').count()) >= 3, 20_000);
  await new Promise((r) => setTimeout(r, 1_000));
  await page.screenshot({ path: OUT, fullPage: true, animations: 'disabled' });
  console.log(`saved ${OUT}`);
} finally {
  await browser.close();
  await p.close();
  rmSync(repo, { recursive: true, force: true });
}
process.exit(0);
