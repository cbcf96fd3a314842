// The live control and the stale-data warning (§3), and the overview's tiles as a person sees them:
// a critical alert among newer warnings, the health trend, routine metrics counted apart.
// Real Chromium against the real services; the stream's heartbeat is 1 s here so silence shows fast.
import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@vigil/service-kit/testing';
import { launchBrowser, newUserPage, screen, screensOfFailure } from './fixtures/browser.js';
import { call, openSettings, settled } from './fixtures/console-ui.js';
import { adminOverHttp, startPlatform, type HttpSession, type Platform } from './fixtures/platform.js';

let p: Platform;
let browser: Browser;
let admin: HttpSession;
let context: BrowserContext;
let page: Page;
let serviceKey: string;

async function api(base: string, method: string, url: string, body?: unknown): Promise<unknown> {
  const headers = { authorization: `Bearer ${serviceKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
  const res = await fetch(`${base}${url}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${url} ${res.status}: ${await res.text()}`);
  return res.json().catch(() => null);
}

const status = () => page.getByTestId('live-status').innerText();
const banner = () => page.getByTestId('stale-warning');

beforeAll(async () => {
  p = await startPlatform('conlive', {
    consoleEnv: { CONSOLE_STREAM_HEARTBEAT_MS: '1000' },
    serviceEnv: { PERF_COLLECTOR_ENABLED: 'true', PERF_SCHEDULER_TICK_MS: '500' },
  });
  serviceKey = await p.env.apiKey(p.admin.tenant, 'admin');
  browser = await launchBrowser();
  admin = await adminOverHttp(p, `Live-${randomBytes(6).toString('hex')}-Password`);
  ({ context, page } = await newUserPage(browser, p.url));
  await context.addCookies([{ name: 'vigil_session', value: admin.token, url: p.url, httpOnly: true, sameSite: 'Strict' }]);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await p?.close();
});

describe('overview, live', () => {
  it('lists a critical alert before newer warnings, counts routine metrics apart, and draws the health trend', async (t) => {
    t.onTestFailed(() => screensOfFailure(browser, 'live-overview'));
    await api(p.services.perf.url, 'POST', '/v1/databases', { name: 'vigil', connectionString: p.env.databaseUrl, intervalSeconds: 5 });
    const critical = `Replica of orders is 94 s behind ${randomBytes(3).toString('hex')}`;
    await api(p.services.alerting.url, 'POST', '/api/v2/alerts', [
      { labels: { alertname: 'ReplicationLagHigh', severity: 'critical' }, annotations: { summary: critical }, startsAt: new Date(Date.now() - 3_600_000).toISOString() },
    ]);
    await api(
      p.services.alerting.url,
      'POST',
      '/api/v2/alerts',
      // Distinct start times (Disk 5 the newest): one batch posted without startsAt would tie.
      Array.from({ length: 6 }, (_, i) => ({
        labels: { alertname: `DiskFillingUp${i}`, severity: 'warning' },
        annotations: { summary: `Disk ${i} full within 5 days` },
        startsAt: new Date(Date.now() - (6 - i) * 60_000).toISOString(),
      })),
    );
    // Two collection cycles: two health scores, so a trend.
    await eventually(async () => ((await api(p.services.perf.url, 'GET', '/v1/databases')) as { items: { id: string }[] }).items.length === 1, 20_000);
    const [db] = ((await api(p.services.perf.url, 'GET', '/v1/databases')) as { items: { id: string }[] }).items;
    await eventually(async () => ((await api(p.services.perf.url, 'GET', `/v1/databases/${db!.id}/health`)) as { items: unknown[] }).items.length >= 2, 60_000, 1_000);

    await page.goto('/');
    await settled(page);
    const alerts = page.getByRole('region', { name: 'Firing alerts' });
    await expect.poll(() => alerts.innerText(), { timeout: 15_000 }).toContain('Disk 5 full');
    const rows = alerts.locator('li');
    expect(await rows.count()).toBe(5);
    expect(await rows.first().innerText()).toContain(critical);

    const trend = page.getByRole('region', { name: 'Database health' }).getByRole('img', { name: /health over 7 days/ });
    await trend.waitFor();
    expect(await trend.getAttribute('aria-label')).toMatch(/between \d+ and \d+/);

    // perf-collector's MetricsCollected every cycle: counted under the ticker, not listed in it.
    await expect.poll(() => page.getByTestId('ticker-routine').innerText().catch(() => ''), { timeout: 20_000 }).toContain('MetricsCollected');
    expect(await page.getByRole('list', { name: /Last events/ }).innerText().catch(() => '')).not.toContain('metrics collected');

    await screen(page, 'live-overview-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screen(page, 'live-overview-dark');
    await openSettings(page, 'Users');
    await settled(page);
    await screen(page, 'live-users-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await screen(page, 'live-users-light');
  }, 150_000);

  it('pauses and resumes live updates; a silent stream raises the stale warning until it speaks again', async (t) => {
    t.onTestFailed(() => screensOfFailure(browser, 'live-stale'));
    await page.goto('/');
    await settled(page);
    await expect.poll(status, { timeout: 15_000 }).toBe('Live');

    // Paused: no stream, and no warning about it (the person chose it), even after several heartbeats.
    await page.getByRole('button', { name: 'Pause live updates' }).click();
    await expect.poll(status).toBe('Paused');
    await page.waitForTimeout(3_000);
    expect(await status()).toBe('Paused');
    expect(await banner().count()).toBe(0);
    await page.getByRole('button', { name: 'Resume live updates' }).click();
    await expect.poll(status, { timeout: 15_000 }).toBe('Live');

    // Silence: the stream is ended (a tenant switch to the same tenant does that) and every reconnect fails.
    await page.route('**/api/stream**', (route) => route.abort('connectionrefused'));
    expect((await call(context, 'PUT', '/api/session/tenant', { tenant: p.admin.tenant })).status()).toBe(200);
    await banner().waitFor({ timeout: 15_000 });
    expect(await banner().innerText()).toContain('Live updates have stopped');
    expect(await status()).not.toBe('Live');
    const box = await banner().boundingBox();
    expect(box!.height).toBeLessThan(60);
    await screen(page, 'live-stale-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screen(page, 'live-stale-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // The stream answers again: the warning goes and the control says Live.
    await page.unroute('**/api/stream**');
    await expect.poll(status, { timeout: 70_000 }).toBe('Live');
    await banner().waitFor({ state: 'detached', timeout: 5_000 });
  }, 150_000);
});
