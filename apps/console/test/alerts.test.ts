// Issue 15 §5 scenarios 1–3 for the alerts area, in real Chromium against the real services: the grid
// fills live from the Alertmanager API and records who acknowledged; a silence made from an alert's page
// keeps its repeat notification from a local webhook sink until it is expired; a threshold rule shows the
// API's detail at the field it names. Plus axe and screenshots (light and dark) of every alerts screen.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MetricsCollected } from '@vigil/events';
import { eventually } from '@vigil/service-kit/testing';
import { launchBrowser, markDocument, newUserPage, screen, screensOfFailure } from './fixtures/browser.js';
import { settled } from './fixtures/console-ui.js';
import { adminOverHttp, startPlatform, type Platform } from './fixtures/platform.js';

/** A local webhook receiver: every notification body it got, with the time it arrived. */
class Sink {
  readonly got: { at: number; alerts: { status: string; labels: Record<string, string> }[] }[] = [];
  private server?: Server;
  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { alerts?: { status: string; labels: Record<string, string> }[] };
          this.got.push({ at: Date.now(), alerts: body.alerts ?? [] });
        } catch {
          // not a notification
        }
        res.writeHead(200).end('{}');
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/hook`;
  }
  /** Notifications since `since` that carried an alert with this alertname. */
  carrying(alertname: string, since = 0) {
    return this.got.filter((n) => n.at >= since && n.alerts.some((a) => a.labels.alertname === alertname));
  }
  close(): Promise<void> {
    this.server?.closeAllConnections();
    return new Promise((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

let p: Platform;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let key: string;
const sink = new Sink();
const run = randomBytes(3).toString('hex');

async function alerting(method: string, url: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${p.services.alerting.url}${url}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${url} ${res.status}: ${await res.text()}`);
  return res.status === 204 ? null : res.json();
}
const post = (alerts: unknown[]) => alerting('POST', '/api/v2/alerts', alerts);
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const H = 3_600_000;

beforeAll(async () => {
  p = await startPlatform('conalerts', { serviceEnv: { ALERT_POLL_INTERVAL_MS: '100' } });
  key = await p.env.apiKey(p.admin.tenant, 'admin');
  const hook = await sink.start();
  await alerting('PUT', '/v1/receivers/oncall-webhook', { kind: 'webhook', url: hook, secret: 'a-very-secret-hmac-key' });
  // Repeat every 2 s: a silenced alert's next repeat is due within seconds, so its absence means something.
  await alerting('PUT', '/v1/routing', { route: { receiver: 'oncall-webhook', group_by: ['...'], group_wait: '0s', group_interval: '1s', repeat_interval: '2s' }, inhibit_rules: [] });
  // Some history for the strips: two earlier occurrences of the replica alert, one of the disk alert.
  const replica = { alertname: 'ReplicationLagHigh', severity: 'critical', service: 'orders-db', team: 'db', instance: 'pg-replica-2' };
  const disk = { alertname: 'DiskFillingUp', severity: 'warning', service: 'api-gateway', team: 'platform', instance: 'api-7' };
  for (const [labels, from, to] of [
    [replica, 20 * H, 18.5 * H],
    [replica, 9 * H, 8 * H],
    [disk, 14 * H, 11 * H],
  ] as const) {
    await post([{ labels, startsAt: ago(from) }]);
    await post([{ labels, startsAt: ago(from), endsAt: ago(to) }]);
  }
  await post([
    { labels: replica, annotations: { summary: 'Replica pg-replica-2 is 94 s behind the primary', runbook_url: 'http://127.0.0.1:4105/v1/runbooks/replication-lag' }, startsAt: ago(0.6 * H) },
    { labels: disk, annotations: { summary: 'Disk /var/lib on api-7 fills within 5 days' }, startsAt: ago(2 * H) },
    { labels: { alertname: 'DiskFillingUp', severity: 'warning', service: 'api-billing', team: 'platform', instance: 'api-2' }, annotations: { summary: 'Disk /var/lib on api-2 fills within 4 days' }, startsAt: ago(1.2 * H) },
    { labels: { alertname: 'ErrorSpike', severity: 'critical', service: 'api-gateway', team: 'platform' }, annotations: { summary: '5xx rate at 7.4 % for 10 min' }, startsAt: ago(0.2 * H) },
    { labels: { alertname: 'CertificateExpiring', severity: 'info', service: 'edge', team: 'security', instance: 'lb-1' }, annotations: { summary: 'TLS certificate for shop.example.com expires in 12 days' }, startsAt: ago(5 * H) },
    { labels: { alertname: 'SinkHeartbeat', severity: 'info', service: 'synthetic-check', team: 'qa', run } },
  ]);
  browser = await launchBrowser();
  const admin = await adminOverHttp(p, `Alerts-${randomBytes(6).toString('hex')}-Password`);
  ({ context, page } = await newUserPage(browser, p.url));
  await context.addCookies([{ name: 'vigil_session', value: admin.token, url: p.url, httpOnly: true, sameSite: 'Strict' }]);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await sink.close();
  await p?.close();
});

const row = (alertname: string) => page.getByTestId('alert-row').filter({ has: page.getByRole('link', { name: alertname, exact: true }) });

describe('alerts', () => {
  it('an alert posted through the Alertmanager API appears without a reload; its acknowledgement names who and when', async (t) => {
    t.onTestFailed(() => screensOfFailure(browser, 'alerts-live-ack'));
    await page.goto('/alerts?groupBy=team');
    await settled(page);
    await row('ErrorSpike').waitFor();
    const doc = await markDocument(page);
    const name = `CheckoutLatencyHigh_${run}`;
    await post([{ labels: { alertname: name, severity: 'critical', service: 'checkout', team: 'payments' }, annotations: { summary: 'p99 latency of checkout at 2.4 s' } }]);
    await row(name).waitFor({ timeout: 20_000 });
    expect(await doc.stillSameDocument()).toBe(true);
    // Firing critical alerts in the tab's title: the two seeded and this one.
    await expect.poll(() => page.title(), { timeout: 20_000 }).toMatch(/^\(3\) /);
    expect(await page.locator('link[rel="icon"]').getAttribute('href')).toMatch(/^data:image\/svg\+xml,/);

    // A matcher filter goes in the URL and narrows the grid.
    const filter = page.getByLabel('Filter by labels');
    await filter.fill('severity="critical", service=~"check.*"');
    await filter.press('Enter');
    await expect.poll(() => page.getByTestId('alert-row').count()).toBe(1);
    expect(decodeURIComponent(page.url())).toContain('service=~"check.*"');
    await filter.fill('team!~"db|payments"');
    await filter.press('Enter');
    await expect.poll(() => page.getByTestId('alert-row').count()).toBe(5);
    await page.getByRole('button', { name: 'Remove team!~"db|payments"' }).click();
    await row(name).waitFor();

    await row(name).getByRole('button', { name: `Acknowledge ${name}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Acknowledge this alert' });
    await dialog.getByLabel('Comment').fill('Rolling back release 2026.12.1');
    await screen(page, 'alerts-ack-dialog');
    await dialog.getByRole('button', { name: 'Acknowledge' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => row(name).innerText(), { timeout: 15_000 }).toContain(`acknowledged by ${p.admin.email}`);
    await expect.poll(() => page.title(), { timeout: 20_000 }).toMatch(/^\(2\) /);

    await page.getByRole('checkbox', { name: 'Select DiskFillingUp' }).first().check();
    await page.getByRole('region', { name: 'Selection' }).waitFor();
    await screen(page, 'alerts-grid');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screen(page, 'alerts-grid-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByRole('button', { name: 'Clear selection' }).click();

    await row(name).getByRole('link', { name }).click();
    await page.getByRole('heading', { name, level: 1 }).waitFor();
    await settled(page);
    expect(await page.getByTestId('acknowledged-by').innerText()).toBe(p.admin.email);
    const history = page.getByTestId('alert-history');
    await expect.poll(() => history.innerText()).toContain('Rolling back release 2026.12.1');
    const ackEntry = history.locator('li.history-acknowledged');
    expect(await ackEntry.innerText()).toContain(p.admin.email);
    expect(await ackEntry.locator('time').getAttribute('datetime')).toMatch(new RegExp(`^${new Date().toISOString().slice(0, 13)}`));
    await page.getByRole('region', { name: 'Notifications' }).getByRole('cell', { name: /oncall-webhook/ }).first().waitFor({ timeout: 20_000 });
    await screen(page, 'alert-detail');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screen(page, 'alert-detail-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // Who acted comes from the session: a browser that claims to be someone else is not believed.
    const [cert] = ((await (await context.request.get('/api/alerting/v1/alerts?state=firing&label=alertname=CertificateExpiring')).json()) as { items: { id: string }[] }).items;
    const forged = await context.request.post(`/api/alerting/v1/alerts/${cert!.id}/acknowledge`, {
      headers: { 'x-csrf-token': (await (await context.request.get('/api/session')).json()).csrfToken, 'x-vigil-actor': 'mallory@example.test', 'content-type': 'application/json' },
      data: '{}',
    });
    expect(forged.status()).toBe(200);
    expect((await forged.json()).acknowledgedBy).toBe(`user:${p.admin.email}`);
  }, 120_000);

  it('a silence from the alert’s page keeps its repeat from the webhook sink; expired, the next notification arrives', async (t) => {
    t.onTestFailed(() => screensOfFailure(browser, 'alerts-silence'));
    const name = `QueueBacklog_${run}`;
    await post([{ labels: { alertname: name, severity: 'warning', service: 'billing-worker', team: 'payments' }, annotations: { summary: 'Invoices queue at 12,400 jobs' } }]);
    // Notified once, and repeating: a positive signal that this alert reaches the sink.
    await eventually(async () => sink.carrying(name).length >= 2, 30_000, 100);

    await page.goto('/alerts');
    await settled(page);
    await row(name).getByRole('link', { name }).click();
    await page.getByRole('heading', { name, level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Silence…' }).click();
    const form = page.getByRole('form', { name: 'New silence' });
    await form.waitFor();
    // Prefilled with the alert's labels, and the preview shows the one alert it would silence.
    const applied = form.getByRole('list', { name: 'Applied matchers' });
    await expect.poll(() => applied.innerText()).toContain(`alertname="${name}"`);
    await expect.poll(() => form.getByTestId('preview-count').innerText().catch(() => ''), { timeout: 15_000 }).toBe('1');
    expect(await form.getByRole('complementary', { name: 'Affected alerts' }).innerText()).toContain(name);
    await form.getByRole('button', { name: '4 h' }).click();
    await form.getByLabel('Comment').fill('Backlog drains after the 11:00 batch');
    await screen(page, 'silence-form');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screen(page, 'silence-form-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await form.getByRole('button', { name: 'Create silence' }).click();
    await page.getByRole('heading', { name, level: 1 }).waitFor();
    // A notification decided just before the silence committed may still be on its way: the boundary is
    // a moment at least 1 s later when the delivery queue is empty, so everything enqueued before it arrived.
    const silencedAt = Date.now();
    await eventually(async () => {
      if (Date.now() < silencedAt + 1_000) return false;
      const waiting = await Promise.all(['queued', 'sending'].map((st) => alerting('GET', `/v1/notifications?state=${st}&limit=10`) as Promise<{ items: unknown[] }>));
      return waiting.every((list) => list.items.length === 0);
    }, 30_000, 50);
    const boundary = Date.now();

    // Positive signal first: the heartbeat alert (same routing, repeat 2 s) was notified three times since,
    // so the silenced alert's group, due within 2 s, has been flushed since the silence.
    await eventually(async () => sink.carrying('SinkHeartbeat', boundary).length >= 3, 30_000, 100);
    expect(sink.carrying(name, boundary)).toEqual([]);

    await page.goto('/alerts/silences');
    await settled(page);
    const silenceRow = page.getByTestId('silence-row').filter({ hasText: `alertname="${name}"` });
    await silenceRow.waitFor();
    expect(await silenceRow.innerText()).toContain(p.admin.email);
    expect(await page.getByRole('tab', { name: /Active/ }).getAttribute('aria-selected')).toBe('true');
    await page.getByRole('region', { name: 'Expiring in the next 24 h' }).waitFor();
    await screen(page, 'silences');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screen(page, 'silences-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    const expiredAt = Date.now();
    await silenceRow.getByRole('button', { name: /^Expire silence/ }).click();
    await silenceRow.waitFor({ state: 'detached' });
    await eventually(async () => sink.carrying(name, expiredAt).length >= 1, 30_000, 100);
    await page.getByRole('tab', { name: /Expired/ }).click();
    await page.getByTestId('silence-row').filter({ hasText: `alertname="${name}"` }).waitFor();
    await screen(page, 'silences-expired');
  }, 120_000);

  it('a threshold rule with an invalid value shows the API’s detail at that field; fixed, it is saved and listed', async (t) => {
    t.onTestFailed(() => screensOfFailure(browser, 'alerts-rules'));
    await page.goto('/alerts/rules');
    await settled(page);
    await page.getByRole('link', { name: 'New threshold rule' }).click();
    const form = page.getByRole('form', { name: 'New threshold rule' });
    const ruleName = `ReplicaLag_${run}`;
    await form.getByLabel('Name').fill(ruleName);
    await form.getByLabel('Metric').fill('replication_lag_seconds');
    await form.getByLabel('Operator').selectOption('>');
    await form.getByLabel('Warning value').fill('30');
    await form.getByLabel('Critical value').fill('10');
    await form.getByLabel('For').fill('2m');
    await form.getByLabel('Summary').fill('Lag {{ $value }} s on {{ $labels.database_id }}');
    await form.getByRole('button', { name: 'Create rule' }).click();
    const critical = form.getByLabel('Critical value');
    await expect.poll(() => critical.getAttribute('aria-invalid')).toBe('true');
    const errorId = (await critical.getAttribute('aria-describedby'))!.split(' ').pop();
    const detail = await page.locator(`[id="${errorId}"]`).innerText();
    expect(detail).toContain('the critical value (10) must be above the warning value (30) for op ">"');
    expect(await form.getByLabel('Warning value').getAttribute('aria-invalid')).toBeNull();
    await screen(page, 'rule-form-invalid');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screen(page, 'rule-form-invalid-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    await critical.fill('120');
    await form.getByRole('button', { name: 'Create rule' }).click();
    await form.waitFor({ state: 'detached' });
    const custom = page.getByRole('region', { name: /Custom rules/ });
    const listed = custom.getByTestId('rule-row').filter({ hasText: ruleName });
    await listed.waitFor();
    expect(await listed.innerText()).toContain('replication_lag_seconds > 30 warning · > 120 critical, for 2m');
    expect(await listed.innerText()).toContain('inactive');

    // A sample over the warning value: the rule is pending (its `for` has not passed) and shows the value.
    await eventually(
      async () => ({
        sent: await p.services.alerting.app.infra.bus.publish(
          MetricsCollected,
          { databaseId: 'orders-db', collectedAt: new Date().toISOString(), samples: [{ name: 'replication_lag_seconds', value: 42.5 }] },
          { tenantId: p.admin.tenant },
        ),
      }),
      30_000,
      500,
    );
    await expect.poll(() => listed.innerText(), { timeout: 45_000 }).toContain('pending');
    expect(await listed.innerText()).toContain('42.5');
    expect(await listed.innerText()).toContain('database_id=orders-db');
    await screen(page, 'rules');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screen(page, 'rules-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  }, 90_000);
});
