// Issue 15 §5 scenario 5 in real Chromium against the real services and Kafka: an error spike (the real
// @sentry/node through the console's address), a database health drop (perf-collector scoring a snapshot)
// and then an alert (Alertmanager API). The alert's "what changed" panel lists the spike and the drop,
// the timeline shows all three in one window; an incident opened from the alert and closed records how
// long acknowledging and resolving took. Axe on every screen of the area; timeline.png for the README.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HISTORY_TYPES } from '../server/domain/history.js';
import { captureStream, launchBrowser, markDocument, newUserPage, screen, screensOfFailure } from './fixtures/browser.js';
import { settled } from './fixtures/console-ui.js';
import { adminOverHttp, startPlatform, type HttpSession, type Platform } from './fixtures/platform.js';

let p: Platform;
let browser: Browser;
let admin: HttpSession;
let context: BrowserContext;
let page: Page;
let serviceKey: string;
const run = randomBytes(3).toString('hex');
const alertName = `CheckoutErrors${run}`;
const summary = `Checkout failing for shop ${run}`;
const marker = `spike${run}`;
let alertId = '';
let alertStart = '';
let incidentId = '';

async function api<T>(base: string, method: string, url: string, body?: unknown): Promise<T> {
  const headers = { authorization: `Bearer ${serviceKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
  const res = await fetch(`${base}${url}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${url} ${res.status}: ${await res.text()}`);
  return (await res.json().catch(() => null)) as T;
}
/** The console's own API with the admin's session (what the browser calls). */
async function consoleGet<T>(url: string): Promise<T> {
  const res = await fetch(`${p.url}${url}`, { headers: { cookie: admin.headers.cookie! } });
  if (!res.ok) throw new Error(`GET ${url} ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

function sendWithSentrySdk(dsn: string, count: number): Promise<void> {
  const script = fileURLToPath(new URL('./fixtures/sentry-client.mjs', import.meta.url));
  return new Promise((resolve, reject) =>
    execFile(process.execPath, [script, dsn, marker, String(count)], { timeout: 60_000 }, (err, stdout, stderr) =>
      err || !stdout.includes('flushed') ? reject(new Error(`sentry client: ${err?.message ?? stdout}\n${stderr}`)) : resolve(),
    ),
  );
}

const snapshot = (maxMeanQueryMs: number) => ({ databaseName: 'orders', maxMeanQueryMs, connectionsUsed: 12, maxConnections: 100, cacheHitRatio: 0.995, connectionLatencyMs: 3 });

beforeAll(async () => {
  [p, browser] = await Promise.all([startPlatform('conincidents'), launchBrowser()]);
  serviceKey = await p.env.apiKey(p.admin.tenant, 'admin');
  admin = await adminOverHttp(p, `Incidents-${randomBytes(6).toString('hex')}-Password`);
  ({ context, page } = await newUserPage(browser, p.url));
  await context.addCookies([{ name: 'vigil_session', value: admin.token, url: p.url, httpOnly: true, sameSite: 'Strict' }]);
}, 240_000);

beforeEach(({ task, onTestFailed }) => onTestFailed(() => screensOfFailure(browser, task.name)));

afterAll(async () => {
  await browser?.close();
  await p?.close();
}, 60_000);

describe('scenario 5: one timeline across the bus', () => {
  it("lists the spike and the health drop in the alert's what-changed panel, and shows all three on the timeline", async () => {
    // Before anything happened: the timeline and the incident list say so (and pass axe).
    await page.goto('/incidents?range=15m');
    await settled(page);
    await page.getByText('Nothing happened on the bus in this window.').waitFor();
    await screen(page, 'timeline-empty');
    await page.goto('/incidents/list');
    await settled(page);
    await page.getByText('No incident yet.').waitFor();
    await screen(page, 'incident-list-empty');

    // 1. An error spike: one exception forty times in a minute, through the console's address.
    const project = await api<{ id: string }>(p.services.errors.url, 'POST', '/v1/projects', { name: `shop-${run}` });
    const key = await api<{ dsn: string }>(p.services.errors.url, 'POST', `/v1/projects/${project.id}/keys`, { label: 'shop' });
    await sendWithSentrySdk(key.dsn, 40);
    // 2. A health drop: a healthy score, then the slowest statement at 6.5 s mean.
    // Snapshots are for a registered database (an unreachable address: no collection scores it meanwhile).
    const db = (await api<{ id: string }>(p.services.perf.url, 'POST', '/v1/databases', { name: `orders-${run}`, connectionString: 'postgres://vigil@127.0.0.1:9/orders', intervalSeconds: 86_400 })).id;
    await api(p.services.perf.url, 'POST', `/v1/databases/${db}/health-snapshots`, snapshot(40));
    const dropped = await api<{ score: number }>(p.services.perf.url, 'POST', `/v1/databases/${db}/health-snapshots`, snapshot(6_500));
    expect(dropped.score).toBeLessThan(100);
    // Positive signal: the history has both before the alert fires.
    await expect
      .poll(async () => (await consoleGet<{ items: { kind: string }[] }>(`/api/history/what-changed?at=${new Date(Date.now() + 1_000).toISOString()}`)).items.map((c) => c.kind).sort(), { timeout: 60_000, interval: 500 })
      .toEqual(expect.arrayContaining(['error-spike', 'health-drop', 'issue-opened']));

    // 3. The alert, through the Alertmanager API.
    await api(p.services.alerting.url, 'POST', '/api/v2/alerts', [{ labels: { alertname: alertName, severity: 'critical', service: 'shop' }, annotations: { summary }, startsAt: new Date().toISOString() }]);
    await page.goto('/alerts');
    await settled(page);
    await page.getByRole('link', { name: alertName, exact: true }).click();
    const panel = page.getByRole('region', { name: 'What changed in the 15 minutes before' });
    await panel.waitFor();
    const changes = panel.getByRole('list', { name: 'Changes before the alert' });
    await changes.waitFor();
    await expect.poll(() => changes.innerText()).toContain('Error spike');
    const text = await changes.innerText();
    expect(text).toContain(marker);
    expect(text).toMatch(new RegExp(`orders health 100 → ${dropped.score} \\(query time\\)`));
    // Each change links to its own page: the spike to its issue.
    expect(await changes.getByRole('link', { name: new RegExp(`Error spike.*${marker}`) }).getAttribute('href')).toMatch(new RegExp(`^/errors\\?project=${project.id}&issue=`));
    expect(await changes.getByRole('link', { name: /orders health/ }).getAttribute('href')).toBe(`/database?db=${db}`);
    // The alert's own page: /alerts/<alertId>.
    alertId = /^\/alerts\/([^/]+)$/.exec(new URL(page.url()).pathname)?.[1] ?? '';
    expect(alertId).toBeTruthy();
    await screen(page, 'alert-what-changed-light');

    // 4. The timeline ±30 min around it: the alert, the spike and the health drop in one window.
    await panel.getByRole('link', { name: 'Timeline ±30 min' }).click();
    await page.getByTestId('timeline').waitFor();
    const search = new URL(page.url()).searchParams;
    alertStart = search.get('at')!;
    expect(Date.parse(search.get('to')!) - Date.parse(search.get('from')!)).toBe(60 * 60_000);
    const events = page.getByRole('table', { name: 'Events, newest first' });
    await expect.poll(() => events.innerText(), { timeout: 15_000 }).toContain(`${alertName} firing`);
    expect(await events.innerText()).toContain(`Error spike`);
    expect(await events.innerText()).toContain(`New issue`);
    const databaseLane = page.locator('.lane-database .lane-label');
    expect(await databaseLane.innerText()).toContain(`orders health lowest ${dropped.score}`);
    expect(await page.locator('.lane-alerts .lane-label').innerText()).toMatch(/[1-9]\d* events?/);
    // One cursor across every lane: hovering the errors lane moves the cursor of the alerts lane too.
    const errorsPlot = page.locator('.lane-errors .lane-plot .u-over');
    const box = (await errorsPlot.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(() => page.getByTestId('timeline-readout').innerText()).toMatch(/orders health \d+/);
    const cursorLeft = async (lane: string) => page.locator(`.lane-${lane} .u-cursor-x`).evaluate((el) => (el as HTMLElement).style.transform || (el as HTMLElement).style.left);
    expect(await cursorLeft('alerts')).toBe(await cursorLeft('errors'));
    expect(await cursorLeft('privacy')).toBe(await cursorLeft('errors'));
    await page.mouse.move(0, 0);
    await settled(page);
    await screen(page, 'timeline');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForTimeout(100); // the canvases redraw in the new theme's colours on the media change
    await screen(page, 'timeline-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  }, 180_000);

  it('opens an incident from the alert; closing it records time to acknowledge and to resolve', async () => {
    expect(alertId, 'scenario above ran').toBeTruthy();
    await page.goto(`/alerts/${encodeURIComponent(alertId)}`);
    await settled(page);
    const panel = page.getByRole('region', { name: 'What changed in the 15 minutes before' });
    await panel.getByRole('button', { name: 'Open incident' }).click();
    await page.getByTestId('incident-status').waitFor();
    incidentId = page.url().split('/incidents/')[1]!;
    expect(await page.getByTestId('incident-status').innerText()).toMatch(/open/i);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(alertName);
    await page.getByRole('button', { name: 'Take ownership' }).click();
    await page.getByRole('button', { name: 'Release ownership' }).waitFor();
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await expect.poll(() => page.getByTestId('incident-status').innerText()).toMatch(/acknowledged/i);
    await page.getByLabel('Add a note').fill('Rolled back shop@1.0.1; errors stopped.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.getByText('Rolled back shop@1.0.1; errors stopped.').waitFor();
    await page.getByRole('button', { name: 'Resolve' }).click();
    await expect.poll(() => page.getByTestId('incident-status').innerText()).toMatch(/resolved/i);
    await settled(page);

    const incident = await consoleGet<{ startedAt: string; acknowledgedAt: string; resolvedAt: string; timeToAcknowledgeSeconds: number; timeToResolveSeconds: number; owner: { id: string }; activity: { kind: string }[] }>(
      `/api/incidents/${incidentId}`,
    );
    // Counted from the alert's start, which the incident took over.
    expect(Date.parse(incident.startedAt)).toBe(Date.parse(alertStart));
    expect(incident.timeToAcknowledgeSeconds).toBeCloseTo((Date.parse(incident.acknowledgedAt) - Date.parse(alertStart)) / 1000, 0);
    expect(incident.timeToResolveSeconds).toBeCloseTo((Date.parse(incident.resolvedAt) - Date.parse(alertStart)) / 1000, 0);
    expect(incident.timeToResolveSeconds).toBeGreaterThan(incident.timeToAcknowledgeSeconds);
    expect(incident.activity.map((a) => a.kind)).toEqual(['opened', 'owner', 'status', 'note', 'status']);
    expect(await page.getByTestId('time-to-resolve').innerText()).not.toBe('—');
    expect(await page.getByText('changed the status from acknowledged to resolved').count()).toBe(1);
    await screen(page, 'incident-detail-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screen(page, 'incident-detail-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // The list shows it resolved with its durations; the alert now points at its incident.
    await page.getByRole('link', { name: 'Incidents' }).first().click();
    await page.goto('/incidents/list?status=resolved');
    await settled(page);
    const row = page.getByRole('row', { name: new RegExp(alertName) });
    await row.waitFor();
    expect(await row.innerText()).toMatch(/resolved/i);
    await screen(page, 'incident-list');
    await page.goto(`/alerts/${encodeURIComponent(alertId)}`);
    await settled(page);
    await page.getByRole('link', { name: `Incident: ${alertName}` }).waitFor();
    await screen(page, 'alert-what-changed-dark-check');
  }, 120_000);
});

describe('the timeline is live without polling', () => {
  it('reads the timeline again when the stream brings an event it records, not on a clock, and shows the event', async () => {
    const reads: string[] = [];
    const onRequest = (r: Request) => void (new URL(r.url()).pathname === '/api/history/timeline' && reads.push(r.url()));
    page.on('request', onRequest);
    try {
      await page.goto('/incidents?range=15m');
      await page.locator('#timeline-title').waitFor();
      await settled(page);
      await expect.poll(() => page.getByTestId('live-status').innerText(), { timeout: 15_000 }).toBe('Live');
      const stream = await captureStream(page);
      const sameDocument = await markDocument(page);
      const idleFrom = reads.length;
      // Longer than the 15 s the timeline used to poll at (and move its window at) whatever happened.
      await page.waitForTimeout(20_000);
      const recorded = ((await stream.text()).match(/^event: (\w+)$/gm) ?? []).map((l) => l.slice('event: '.length)).filter((t) => HISTORY_TYPES.includes(t));
      // Nothing the history records happened: not one read. (Something did: at most one read per such event.)
      if (recorded.length === 0) expect(reads.length - idleFrom, reads.join('\n')).toBe(0);
      else expect(reads.length - idleFrom).toBeLessThanOrEqual(recorded.length);

      // An alert now: the stream's invalidation reads the timeline again, and the alert is in the window's events.
      const name = `LiveTimeline${run}`;
      const liveFrom = reads.length;
      await api(p.services.alerting.url, 'POST', '/api/v2/alerts', [{ labels: { alertname: name, severity: 'warning', service: 'shop' }, annotations: { summary: 'live' }, startsAt: new Date().toISOString() }]);
      const events = page.getByRole('table', { name: 'Events, newest first' });
      await expect.poll(() => events.innerText(), { timeout: 20_000 }).toContain(`${name} firing`);
      expect(reads.length).toBeGreaterThan(liveFrom);
      expect(await page.locator('.lane-alerts .lane-label').innerText()).toMatch(/[1-9]\d* events?/);
      expect(await sameDocument.stillSameDocument()).toBe(true);
      await screen(page, 'timeline-live');
    } finally {
      page.off('request', onRequest);
    }
  }, 90_000);
});
