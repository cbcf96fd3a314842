// Issue 14 §6 scenarios 1, 3, 4 and 5 in real Chromium against the real console and services:
// the seeded admin's first sign-in, password change and sign-out; a read-only user; CSRF and
// session expiry; an API key shown once, working, then revoked.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { eventually } from '@vigil/service-kit/testing';
import { launchBrowser, newUserPage, screen, screensOfFailure } from './fixtures/browser.js';
import { call, changePassword, everyScreen, openSettings, session, settled, signIn, signInFirstTime, signOut, strongPassword } from './fixtures/console-ui.js';
import { ageSession, startPlatform, type Platform } from './fixtures/platform.js';

let p: Platform;
let browser: Browser;
let admin: { context: BrowserContext; page: Page };
const adminPassword = strongPassword();
/** Buttons that change data; a reader's own preferences and password are theirs to change. */
const WRITE_CONTROLS = /^(create|new|add|save|delete|remove|revoke|rotate|disable|enable|invite|edit|send test|change)\b/i;
const OWN_ACTIONS = /^(save preferences|change password)$/i;

beforeAll(async () => {
  [p, browser] = await Promise.all([startPlatform('conpeople'), launchBrowser()]);
}, 240_000);

beforeEach(({ task, onTestFailed }) => onTestFailed(() => screensOfFailure(browser, task.name)));

afterAll(async () => {
  await browser?.close();
  await p?.close();
}, 60_000);

describe('scenario 1: the seeded admin', () => {
  it('signs in, is asked to change the password, changes it, signs out; the old session no longer works', async () => {
    admin = await newUserPage(browser, p.url);
    const { context, page } = admin;
    await page.goto('/');
    await page.getByLabel('Email').waitFor();
    await screen(page, 'sign-in');

    // A wrong password is refused with the server's problem detail, not a blank page.
    await page.getByLabel('Email').fill(p.admin.email);
    await page.getByLabel('Password', { exact: true }).fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').innerText()).toMatch(/password is wrong/i);
    await screen(page, 'sign-in-failed');

    await signIn(page, p.admin.email, p.admin.initialPassword);
    await page.getByLabel('Current password').waitFor();
    await screen(page, 'change-password');
    expect((await session(context)).mustChangePassword).toBe(true);

    const cookie = (await context.cookies()).find((c) => c.name === 'vigil_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });

    await changePassword(page, p.admin.initialPassword, adminPassword);
    await page.getByLabel('Current password').waitFor({ state: 'detached' });
    const signedIn = await session(context);
    expect(signedIn).toMatchObject({ mustChangePassword: false, role: 'admin', tenant: p.admin.tenant, user: { email: p.admin.email } });
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await screen(page, 'overview-empty');

    // The same cookie in another browser context works while the session lives (positive control) ...
    const copy = await browser.newContext({ baseURL: p.url });
    await copy.addCookies([cookie!]);
    expect((await copy.request.get('/api/session')).status()).toBe(200);

    await signOut(page);
    await screen(page, 'signed-out');
    // ... and not once the session was revoked by signing out.
    const after = await copy.request.get('/api/session');
    expect(after.status()).toBe(401);
    expect((await after.json()).code).toBe('CONSOLE_SESSION_REQUIRED');
    await copy.close();

    // The initial password is gone; the new one signs in straight to the console.
    const old = await context.request.post('/api/session', { data: { email: p.admin.email, password: p.admin.initialPassword } });
    expect(old.status()).toBe(401);
    await signIn(page, p.admin.email, adminPassword);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect((await session(context)).mustChangePassword).toBe(false);
  }, 90_000);
});

describe('scenario 4: CSRF and session expiry', () => {
  it('refuses a state-changing request without the CSRF token with 403', async () => {
    const { context } = admin;
    const prefs = { theme: 'dark', timezone: 'utc', refreshSeconds: 60 };
    // Positive control: the same request with the token is accepted.
    const withToken = await call(context, 'PUT', '/api/preferences', prefs);
    expect(withToken.status(), await withToken.text()).toBe(200);

    for (const headers of [{}, { 'x-csrf-token': 'forged-token-value' }] as Record<string, string>[]) {
      const res = await context.request.put('/api/preferences', { data: { ...prefs, theme: 'light' }, headers });
      expect(res.status()).toBe(403);
      expect((await res.json()).code).toBe('CONSOLE_CSRF');
    }
    const noToken = await context.request.post('/api/admin/users', { data: { email: `csrf-${randomBytes(3).toString('hex')}@example.com`, name: 'x', password: strongPassword(), role: 'read' } });
    expect(noToken.status()).toBe(403);
    // Nothing changed: the preferences are still the ones written with the token.
    expect(await (await context.request.get('/api/preferences')).json()).toMatchObject(prefs);
  });

  it('sends an expired session back to sign-in', async () => {
    const { context, page } = await newUserPage(browser, p.url);
    await signIn(page, p.admin.email, adminPassword);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    const token = (await context.cookies()).find((c) => c.name === 'vigil_session')!.value;
    // The session sat idle past its idle expiry (the clock moved on in the database, not in a mock).
    await ageSession(p, token);
    await page.reload();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await screen(page, 'session-expired');
    expect((await context.request.get('/api/session')).status()).toBe(401);
    await context.close();
  }, 60_000);
});

describe('scenario 3: a read-only user', () => {
  const email = `reader-${randomBytes(3).toString('hex')}@example.com`;
  const password = strongPassword();

  it('is created by the admin on the users screen', async () => {
    const { page } = admin;
    await openSettings(page, 'Users');
    await page.getByRole('button', { name: 'Create user' }).waitFor();
    await screen(page, 'settings-users');
    // Positive control for the reader's check below: on the admin's screen it does find write controls.
    expect((await page.getByRole('button').allInnerTexts()).filter((b) => WRITE_CONTROLS.test(b.trim()))).not.toEqual([]);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Name').fill('Rita Reader');
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByLabel('Role').selectOption('read');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('cell', { name: email }).first().waitFor();
    await screen(page, 'settings-users-created');
  }, 60_000);

  it('sees no write control, and a forced POST gets 403', async () => {
    const { context, page } = await newUserPage(browser, p.url);
    await signInFirstTime(page, email, password);
    expect((await session(context)).role).toBe('read');
    await screen(page, 'overview-read-only');

    // Every screen the reader can open, looked at for anything that writes.
    const screens = await everyScreen(page, async (path) => {
      const buttons = (await page.getByRole('button').allInnerTexts()).map((b) => b.trim()).filter(Boolean);
      // Positive signal that the screen's controls were found at all: the reader's own "Sign out".
      expect(buttons).toContain('Sign out');
      // Links that invite a write ("Create one", "Add a receiver") count as write controls too.
      const links = (await page.getByRole('link').allInnerTexts()).map((b) => b.trim()).filter(Boolean);
      const writes = [...buttons, ...links].filter((b) => WRITE_CONTROLS.test(b) && !OWN_ACTIONS.test(b));
      expect(writes, `write controls on ${path}`).toEqual([]);
      await screen(page, `read-only${path === '/' ? '-overview' : path.replace(/\W+/g, '-')}`);
    });
    expect(screens.length).toBeGreaterThanOrEqual(2);

    // The API refuses anyway: a forced POST with a valid session and CSRF token.
    const forced = await call(context, 'POST', '/api/admin/users', { email: `x-${email}`, name: 'x', password: strongPassword(), role: 'admin' });
    expect(forced.status()).toBe(403);
    const proxied = await call(context, 'POST', '/api/errors/v1/projects', { name: 'by-reader' });
    expect(proxied.status()).toBe(403);
    // Positive control for the proxied refusal: the reader can read through the same route.
    expect((await context.request.get('/api/errors/v1/projects')).status()).toBe(200);
    await context.close();
  }, 150_000);
});

describe('scenario 5: API keys', () => {
  it('shows the secret once; the key works against the API until revoked', async () => {
    const { page, context } = admin;
    const name = `ci-${randomBytes(3).toString('hex')}`;
    await openSettings(page, 'API keys');
    await page.getByRole('button', { name: 'Create key' }).waitFor();
    await screen(page, 'settings-api-keys');
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('Role').selectOption('read');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = (await page.getByTestId('api-key-secret').innerText()).trim();
    expect(secret).toMatch(/^vgl_[A-Za-z0-9]+_[A-Za-z0-9]+$/);
    await screen(page, 'settings-api-key-created');

    // It works against a service's API, with the role it was given.
    const projects = `${p.services.errors.url}/v1/projects`;
    const auth = { authorization: `Bearer ${secret}` };
    expect((await fetch(projects, { headers: auth })).status).toBe(200);
    expect((await fetch(projects, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'nope' }) })).status).toBe(403);

    // Shown once: after leaving the screen neither the page nor the list API holds it.
    await page.reload();
    await page.getByRole('cell', { name }).first().waitFor();
    expect(await page.content()).not.toContain(secret);
    expect(JSON.stringify(await (await context.request.get('/api/admin/api-keys')).json())).not.toContain(secret.split('_')[2]);

    await page.getByRole('row', { name: new RegExp(name) }).getByRole('button', { name: `Revoke ${name}` }).click();
    await page.getByRole('dialog').waitFor();
    await screen(page, 'settings-api-key-revoke-dialog');
    await page.getByRole('dialog').getByRole('button', { name: `Revoke ${name}` }).click();
    await expect.poll(async () => page.getByRole('row', { name: new RegExp(name) }).innerText(), { timeout: 10_000 }).toMatch(/revoked/i);
    await screen(page, 'settings-api-key-revoked');
    // Every service drops the revoked key at once (the kit's LISTEN/NOTIFY on revocation).
    await eventually(async () => (await fetch(projects, { headers: auth })).status === 401, 5_000, 100);
  }, 90_000);
});

describe('people and keys, a page at a time', () => {
  it('pages the users by keyset cursor in the URL, and shows the problem of a cursor the list did not return', async () => {
    const { page, context } = admin;
    const run = randomBytes(3).toString('hex');
    // More than one page of the screen (25).
    for (let i = 0; i < 26; i++) {
      const res = await call(context, 'POST', '/api/admin/users', { email: `paged-${run}-${String(i).padStart(2, '0')}@example.com`, name: `Paged ${i}`, role: 'read', password: strongPassword() });
      expect(res.status()).toBe(201);
    }
    // The API's convention: { items, nextCursor }, keyset cursors, the same order page after page.
    type UsersPage = { items: { id: string; email: string }[]; nextCursor: string | null };
    const all: UsersPage['items'] = [];
    for (let cursor: string | null = ''; cursor !== null; ) {
      const res = await context.request.get(`/api/admin/users?limit=10${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status()).toBe(200);
      const body = (await res.json()) as UsersPage;
      expect(Object.keys(body).sort()).toEqual(['items', 'nextCursor']);
      all.push(...body.items);
      cursor = body.nextCursor;
    }
    expect(all.length).toBeGreaterThan(26);
    expect(new Set(all.map((u) => u.id)).size).toBe(all.length);
    const keys = (await (await context.request.get('/api/admin/api-keys?limit=1')).json()) as { items: unknown[]; nextCursor: string | null };
    expect(Object.keys(keys).sort()).toEqual(['items', 'nextCursor']);

    await openSettings(page, 'Users');
    const list = page.getByRole('region', { name: /^Users of tenant/ });
    const rows = list.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(25);
    expect(await rows.first().locator('td').first().innerText()).toContain(all[0]!.email);
    const pager = page.getByRole('navigation', { name: 'Users pages' });
    await pager.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => rows.first().locator('td').first().innerText()).toContain(all[25]!.email);
    expect(await rows.count()).toBe(Math.min(25, all.length - 25));
    const url = new URL(page.url());
    expect(url.searchParams.get('page')).toBe('2');
    expect(url.searchParams.get('cursor')).toBeTruthy();
    expect(await pager.innerText()).toContain('Page 2');
    await settled(page);
    await screen(page, 'settings-users-page-2');
    // Back to the first page, with the browser's Back as with the button.
    await page.goBack();
    await expect.poll(() => rows.first().locator('td').first().innerText()).toContain(all[0]!.email);

    // A cursor the list did not return: the API's 400 CURSOR_INVALID, shown with its detail.
    await page.goto('/settings?tab=users&page=2&cursor=not-a-cursor');
    const problem = list.getByRole('alert');
    await expect.poll(() => problem.innerText()).toMatch(/cursor.*not one this list returned.*CURSOR_INVALID/s);
    await screen(page, 'settings-users-bad-cursor');
  }, 120_000);
});
