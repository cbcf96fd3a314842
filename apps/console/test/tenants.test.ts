// Issue 14 §6 scenarios 2 and 6 in real Chromium against the real console, services and Kafka:
// a project's DSN read off the page receives an exception from the real @sentry/node through the
// console's address, and the overview shows the new issue live; a second tenant sees none of it.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { captureStream, launchBrowser, markDocument, newUserPage, resumeStream, screen, screensOfFailure } from './fixtures/browser.js';
import { call, everyScreen, firstAdminSignIn, openSettings, session, settled, signInFirstTime, strongPassword } from './fixtures/console-ui.js';
import { startPlatform, type Platform } from './fixtures/platform.js';

let p: Platform;
let browser: Browser;
let admin: { context: BrowserContext; page: Page };
const adminPassword = strongPassword();
const run = randomBytes(3).toString('hex');
const projectA = `shop-${run}`;
const projectB = `outlet-${run}`;
let dsnA = '';
let firstMarker = '';

beforeAll(async () => {
  [p, browser] = await Promise.all([startPlatform('contenants'), launchBrowser()]);
  admin = await newUserPage(browser, p.url);
  await firstAdminSignIn(admin.page, p.admin.email, p.admin.initialPassword, adminPassword);
}, 240_000);

beforeEach(({ task, onTestFailed }) => onTestFailed(() => screensOfFailure(browser, task.name)));

afterAll(async () => {
  await browser?.close();
  await p?.close();
}, 60_000);

/** The real @sentry/node in its own process, sending one exception to `dsn`; resolves when it flushed. */
function sendWithSentrySdk(dsn: string, marker: string): Promise<void> {
  const script = fileURLToPath(new URL('./fixtures/sentry-client.mjs', import.meta.url));
  return new Promise((resolve, reject) =>
    execFile(process.execPath, [script, dsn, marker], { timeout: 45_000 }, (err, stdout, stderr) =>
      err || !stdout.includes('flushed') ? reject(new Error(`sentry client: ${err?.message ?? stdout}\n${stderr}`)) : resolve(),
    ),
  );
}

/** Creates a project on the projects screen and returns the DSN the page shows for it. */
async function createProjectOnPage(page: Page, name: string, shot?: string): Promise<string> {
  await openSettings(page, 'Error projects');
  await page.getByLabel('Project name').fill(name);
  await page.getByRole('button', { name: 'Create project' }).click();
  // Creating a project selects it: its detail shows the first key's DSN.
  await page.getByRole('heading', { name }).waitFor();
  const dsn = page.getByTestId('dsn').first();
  await dsn.waitFor();
  if (shot) await screen(page, shot);
  return (await dsn.innerText()).trim();
}

describe('scenario 2: a project, its DSN and the real Sentry SDK', () => {
  it('shows the new issue on the overview within seconds, without a reload', async () => {
    const { page } = admin;
    dsnA = await createProjectOnPage(page, projectA, 'settings-projects');
    const dsn = new URL(dsnA);
    // The DSN points at the console's own address: SDKs send through the front door.
    expect(dsn.host).toBe(new URL(p.url).host);
    expect(dsn.username).toMatch(/^[0-9a-f]{32}$/);

    await page.getByRole('link', { name: 'Overview' }).click();
    const issues = page.getByRole('region', { name: 'Error issues' });
    await issues.waitFor();
    await settled(page);
    await screen(page, 'overview-before-issue');
    const doc = await markDocument(page);

    firstMarker = `m${randomBytes(4).toString('hex')}`;
    await sendWithSentrySdk(dsnA, firstMarker);
    const flushedAt = Date.now();
    await expect.poll(() => issues.innerText(), { timeout: 10_000, interval: 100 }).toContain(firstMarker);
    console.log(`[scenario 2] issue on the overview ${Date.now() - flushedAt} ms after the SDK flushed`);
    expect(await doc.stillSameDocument()).toBe(true);
    await expect.poll(() => issues.innerText()).toContain(`TypeError: cart 7 vanished (${firstMarker})`);
    await screen(page, 'overview-with-issue');
  }, 90_000);
});

describe('scenario 6: two tenants', () => {
  const tenantB = `tenant-b-${run}`;
  const userB = { email: `bob-${run}@example.com`, password: strongPassword() };
  let b: { context: BrowserContext; page: Page };
  let dsnB = '';

  it('sets up tenant B with its own user and project', async () => {
    // Issue 14 has no API that creates a tenant: an operator grants the admin a second membership.
    await p.db.query(
      `INSERT INTO console.memberships (user_id, tenant_id, role) SELECT id, $2, 'admin' FROM console.users WHERE lower(email) = lower($1)`,
      [p.admin.email, tenantB],
    );
    const { context, page } = admin;
    const switched = await call(context, 'PUT', '/api/session/tenant', { tenant: tenantB });
    expect(switched.status(), await switched.text()).toBe(200);
    await page.goto('/');
    await settled(page);
    expect((await session(context)).tenant).toBe(tenantB);

    await openSettings(page, 'Users');
    await page.getByLabel('Email').fill(userB.email);
    await page.getByLabel('Name').fill('Bob of B');
    await page.getByLabel('Password', { exact: true }).fill(userB.password);
    await page.getByLabel('Role').selectOption('write');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('cell', { name: userB.email }).first().waitFor();
    dsnB = await createProjectOnPage(page, projectB);
    // The admin lists are the tenant's own, in the API's list convention: tenant B's people are its admin and Bob.
    type Listed = { items: { email: string }[]; nextCursor: string | null };
    const everyEmail = async (path: string) => {
      const emails: string[] = [];
      for (let cursor: string | null = ''; cursor !== null; ) {
        const listed = (await (await context.request.get(`${path}?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).json()) as Listed;
        emails.push(...listed.items.map((u) => u.email.toLowerCase()));
        cursor = listed.nextCursor;
      }
      return emails;
    };
    expect((await everyEmail('/api/admin/users')).sort()).toEqual([p.admin.email.toLowerCase(), userB.email.toLowerCase()].sort());
    await call(context, 'PUT', '/api/session/tenant', { tenant: p.admin.tenant });
    expect((await session(context)).tenant).toBe(p.admin.tenant);
    const peopleA = await everyEmail('/api/admin/users');
    expect(peopleA).toContain(p.admin.email.toLowerCase());
    expect(peopleA).not.toContain(userB.email.toLowerCase());

    b = await newUserPage(browser, p.url);
    await signInFirstTime(b.page, userB.email, userB.password);
    expect((await session(b.context)).tenant).toBe(tenantB);
  }, 90_000);

  it("a tenant B user sees none of tenant A's data on any screen", async () => {
    // Positive control: the same look, as tenant A's admin, finds tenant A's project and issue.
    const seenByA: string[] = [];
    await everyScreen(admin.page, async (path) => {
      const text = await admin.page.locator('body').innerText();
      if (text.includes(projectA)) seenByA.push(projectA);
      if (text.includes(firstMarker)) seenByA.push(firstMarker);
      await screen(admin.page, `admin${path === '/' ? '-overview' : path.replace(/\W+/g, '-')}`);
    });
    expect(new Set(seenByA)).toEqual(new Set([projectA, firstMarker]));

    const aPublicKey = new URL(dsnA).username;
    const screens = await everyScreen(b.page, async (path) => {
      const text = await b.page.locator('body').innerText();
      const html = await b.page.content();
      for (const secret of [projectA, firstMarker, aPublicKey]) {
        expect(text, `tenant A's ${secret} on ${path}`).not.toContain(secret);
        expect(html, `tenant A's ${secret} in the markup of ${path}`).not.toContain(secret);
      }
      await screen(b.page, `tenant-b${path === '/' ? '-overview' : path.replace(/\W+/g, '-')}`);
    });
    expect(screens.length).toBeGreaterThanOrEqual(2);

    // Through the front door too: the same request as each user.
    const listA = JSON.stringify(await (await admin.context.request.get('/api/errors/v1/projects')).json());
    const listB = JSON.stringify(await (await b.context.request.get('/api/errors/v1/projects')).json());
    expect(listA).toContain(projectA);
    expect(listB).toContain(projectB);
    expect(listB).not.toContain(projectA);
  }, 180_000);

  it("a tenant B user receives none of tenant A's events through the stream, live or replayed", async () => {
    await admin.page.goto('/');
    await b.page.goto('/');
    await Promise.all([settled(admin.page), settled(b.page)]);
    const [streamA, streamB] = await Promise.all([captureStream(admin.page), captureStream(b.page)]);
    // Both streams are open: each has delivered its first bytes (a comment, heartbeat or event).
    await expect.poll(async () => (await streamA.text()).length, { timeout: 15_000 }).toBeGreaterThan(0);
    await expect.poll(async () => (await streamB.text()).length, { timeout: 15_000 }).toBeGreaterThan(0);

    const markerA = `a${randomBytes(4).toString('hex')}`;
    const markerB = `b${randomBytes(4).toString('hex')}`;
    // A first event of tenant A, so the replay below has an id to resume from that precedes the marker.
    const earlierA = `e${randomBytes(4).toString('hex')}`;
    await sendWithSentrySdk(dsnA, earlierA);
    await expect.poll(() => streamA.text(), { timeout: 20_000 }).toContain(earlierA);
    await sendWithSentrySdk(dsnA, markerA);
    // Positive signal: tenant A's own user gets tenant A's event ...
    await expect.poll(() => streamA.text(), { timeout: 20_000 }).toContain(markerA);
    // ... and after it, tenant B's event reaches tenant B (same topic, one partition: in order).
    await sendWithSentrySdk(dsnB, markerB);
    await expect.poll(() => streamB.text(), { timeout: 20_000 }).toContain(markerB);
    const seenByB = await streamB.text();
    expect(seenByB).not.toContain(markerA);
    expect(seenByB).not.toContain(`"tenantId":"${p.admin.tenant}"`);
    expect(await streamA.text()).not.toContain(markerB);
    // The live ticker on B's overview shows B's event and not A's.
    await expect.poll(() => b.page.getByRole('region', { name: 'Error issues' }).innerText(), { timeout: 10_000 }).toContain(markerB);
    expect(await b.page.locator('body').innerText()).not.toContain(markerA);
    await screen(b.page, 'tenant-b-overview-live');

    // A reconnect with Last-Event-ID replays what was missed, from the tenant's own buffer only.
    const frames = (await streamA.text()).split('\n\n');
    const at = frames.findIndex((f) => f.includes(markerA));
    const before = frames.slice(0, at).reverse().find((f) => /^id: /m.test(f));
    expect(before, 'an event with an id before tenant A\'s marker').toBeDefined();
    const lastId = /^id: (.+)$/m.exec(before!)![1]!;
    const replayA = await resumeStream(admin.page, lastId, markerA);
    expect(replayA).toContain(markerA);
    expect(replayA).not.toMatch(new RegExp(`^id: ${lastId}$`, 'm'));
    const replayB = await resumeStream(b.page, lastId, markerB);
    expect(replayB).toContain(markerB);
    expect(replayB).not.toContain(markerA);
  }, 120_000);
});
