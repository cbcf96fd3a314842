// Issue 15 §5 scenario 4 in real Chromium against the real console, services and Kafka: exceptions
// sent with the real @sentry/node appear in the issue stream live; the issue page shows the stack's
// in-app frames and the breadcrumbs; resolved and sent again, the issue shows as regressed; keyboard
// triage resolves a selected issue; a saved view brings its filters back. Axe + screenshots of every
// errors screen, light and dark.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '@vigil/service-kit/testing';
import { launchBrowser, markDocument, newUserPage, screen, screensOfFailure } from './fixtures/browser.js';
import { settled } from './fixtures/console-ui.js';
import { adminOverHttp, startPlatform, type Platform } from './fixtures/platform.js';

let p: Platform;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let serviceKey: string;
let projectId = '';
let dsn = '';
const run = randomBytes(3).toString('hex');
const first = `first-${run}`;
const second = `second-${run}`;

interface Issue {
  id: string;
  title: string;
  status: string;
  substatus: string;
}

async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  const headers = { authorization: `Bearer ${serviceKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
  const res = await fetch(`${p.services.errors.url}${url}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${url} ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** The issue whose title carries the marker, whatever its status (the list without a status filter). */
const issueOf = async (marker: string): Promise<Issue | undefined> =>
  (await api<{ items: Issue[] }>('GET', `/v1/projects/${projectId}/issues?limit=200`)).items.find((i) => i.title.includes(marker));

/** The real @sentry/node in its own process, sending one exception to the DSN; resolves when it flushed. */
function sendWithSentrySdk(marker: string): Promise<void> {
  const script = fileURLToPath(new URL('./fixtures/sentry-client.mjs', import.meta.url));
  return new Promise((resolve, reject) =>
    execFile(process.execPath, [script, dsn, marker], { timeout: 45_000 }, (err, stdout, stderr) =>
      err || !stdout.includes('flushed') ? reject(new Error(`sentry client: ${err?.message ?? stdout}\n${stderr}`)) : resolve(),
    ),
  );
}

const streamRow = (marker: string) => page.getByTestId('issue-stream').locator('[role="row"]', { hasText: marker });

beforeAll(async () => {
  p = await startPlatform('conerrors');
  serviceKey = await p.env.apiKey(p.admin.tenant, 'admin');
  browser = await launchBrowser();
  const admin = await adminOverHttp(p, `Errors-${randomBytes(6).toString('hex')}-Password`);
  ({ context, page } = await newUserPage(browser, p.url));
  await context.addCookies([{ name: 'vigil_session', value: admin.token, url: p.url, httpOnly: true, sameSite: 'Strict' }]);
  const project = await api<{ id: string }>('POST', '/v1/projects', { name: `shop-${run}` });
  projectId = project.id;
  dsn = (await api<{ dsn: string }>('POST', `/v1/projects/${projectId}/keys`, { label: 'browser-test' })).dsn;
}, 240_000);

beforeEach(({ task, onTestFailed }) => onTestFailed(() => screensOfFailure(browser, task.name)));

afterAll(async () => {
  await browser?.close();
  await p?.close();
}, 60_000);

describe('scenario 4: errors from the real Sentry SDK', () => {
  it('shows new issues in the stream live, without a reload', async () => {
    await page.goto(`/errors?project=${projectId}`);
    await page.getByRole('heading', { name: 'Issues' }).waitFor();
    await page.getByText('No issues match.').waitFor();
    await screen(page, 'issue-stream-empty');
    const doc = await markDocument(page);

    await sendWithSentrySdk(first);
    await streamRow(first).waitFor({ timeout: 20_000 });
    await sendWithSentrySdk(second);
    await streamRow(second).waitFor({ timeout: 20_000 });
    expect(await doc.stillSameDocument()).toBe(true);
    // The row carries the columns of the stream: level, events, release, status, a 24 h trend.
    const row = streamRow(first);
    await expect.poll(() => row.innerText()).toContain('shop@1.0.0');
    expect(await row.innerText()).toMatch(/error/i);
    expect(await row.getByRole('img', { name: /Trend of .*: 1 events in 24 h/ }).count()).toBe(1);
    await settled(page);
    await screen(page, 'issue-stream');
  });

  it('opens an issue: the stack trace’s in-app frames and the breadcrumbs are on the page', async () => {
    await streamRow(first).getByRole('link').click();
    await page.getByRole('heading', { name: /TypeError/ }).first().waitFor();
    const inApp = page.locator('.frame.in-app');
    await inApp.first().waitFor();
    expect(await inApp.first().innerText()).toContain('checkout');
    expect(await inApp.first().innerText()).toContain('In App');
    // The first in-app frame is open on its source: the throwing line is the highlighted one.
    expect(await page.locator('.context-lines li.current').first().innerText()).toContain('throw new TypeError');
    const breadcrumbs = page.getByRole('table', { name: /Breadcrumbs/ });
    await expect.poll(() => breadcrumbs.innerText()).toContain(`loaded cart 7 (${first})`);
    // Tags with their distribution, users affected (a pseudonym, never the raw id).
    const side = page.getByRole('complementary', { name: 'Issue details' });
    await expect.poll(() => side.innerText()).toContain('eu-west');
    await expect.poll(() => side.innerText()).toMatch(/Users affected\s*·\s*1/i);
    expect(await side.innerText()).not.toContain(`user-${first}`);

    // Only application frames by default; the full stack adds the system frames.
    const appFrames = await page.locator('.frame').count();
    await page.getByRole('button', { name: 'Full stack' }).click();
    await expect.poll(() => page.locator('.frame.system').count()).toBeGreaterThan(0);
    expect(await page.locator('.frame').count()).toBeGreaterThan(appFrames);
    expect(page.url()).toContain('full=true');
    await page.getByRole('button', { name: 'App frames' }).click();
    await expect.poll(() => page.locator('.frame.system').count()).toBe(0);
    await settled(page);
    await screen(page, 'issue-detail');
  });

  it('resolve it, send the same error again: the issue is shown as regressed, with the event where it happened', async () => {
    await page.getByRole('button', { name: 'Resolve', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Resolved' }).waitFor();
    await expect.poll(async () => (await issueOf(first))?.status).toBe('resolved');
    const doc = await markDocument(page);

    await sendWithSentrySdk(first);
    const banner = page.getByTestId('regression');
    await banner.waitFor({ timeout: 20_000 });
    expect(await banner.innerText()).toContain('shop@1.0.0');
    expect(await doc.stillSameDocument()).toBe(true);
    // The event that reopened it is marked in the event list, and the activity records both steps.
    const events = page.getByRole('table', { name: /Events of this issue/ });
    await expect.poll(() => events.locator('tr', { hasText: 'regression' }).count()).toBe(1);
    await expect.poll(() => events.locator('tbody tr').count()).toBe(2);
    const activity = page.getByRole('complementary', { name: 'Issue details' }).locator('.activity');
    await expect.poll(() => activity.innerText()).toMatch(/Regressed[\s\S]*Resolved/);
    // Open the regressing event from the banner: it is the selected one, flagged as the regression.
    await banner.getByRole('link').click();
    await expect.poll(() => page.locator('.event-title').innerText()).toContain('regression');
    await settled(page);
    await screen(page, 'issue-regressed');
    expect(await issueOf(first)).toMatchObject({ status: 'unresolved', substatus: 'regressed' });
  });

  it('keyboard triage: j moves, x selects, r resolves the selected issue', async () => {
    await page.goto(`/errors?project=${projectId}`);
    await streamRow(second).waitFor();
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    // Move the cursor down to the second issue's row.
    for (let n = 0; n < 10; n++) {
      await page.keyboard.press('j');
      const cursor = page.locator('.stream-row.cursor');
      if ((await cursor.innerText()).includes(second)) break;
    }
    expect(await page.locator('.stream-row.cursor').innerText()).toContain(second);
    await page.keyboard.press('x');
    await expect.poll(() => streamRow(second).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('r');
    await streamRow(second).waitFor({ state: 'detached' });
    expect((await issueOf(second))?.status).toBe('resolved');
    // The other issue is still listed: only the selected one was resolved.
    await streamRow(first).waitFor();
  });

  it('bulk actions and a saved view: the resolved filter is saved, and brings its issues back', async () => {
    await page.getByLabel('Search', { exact: true }).fill('is:resolved');
    await page.getByLabel('Search', { exact: true }).press('Enter');
    await expect.poll(() => page.url()).toContain('status=resolved');
    await streamRow(second).waitFor();
    await page.getByRole('button', { name: 'Save view' }).click();
    await page.getByLabel('Name of the view').fill('Resolved issues');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const views = page.getByRole('group', { name: 'Saved views' });
    await views.getByRole('link', { name: 'Resolved issues' }).waitFor();

    await page.goto(`/errors?project=${projectId}`);
    await streamRow(first).waitFor();
    await page.getByRole('group', { name: 'Saved views' }).getByRole('link', { name: 'Resolved issues' }).click();
    await streamRow(second).waitFor();
    expect(page.url()).toContain('status=resolved');

    // Bulk: select every listed issue and unresolve them.
    await page.getByLabel('Select all loaded issues').check();
    await page.getByRole('group', { name: 'Bulk actions' }).getByRole('button', { name: 'Unresolve' }).click();
    await streamRow(second).waitFor({ state: 'detached' });
    await eventually(async () => (await issueOf(second))?.status === 'unresolved', 10_000, 200);
  });

  it('looks right in the dark theme too', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`/errors?project=${projectId}`);
    await streamRow(first).waitFor();
    await settled(page);
    await screen(page, 'issue-stream-dark');
    await streamRow(first).getByRole('link').click();
    await page.locator('.frame.in-app').first().waitFor();
    await settled(page);
    await screen(page, 'issue-detail-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });
});
