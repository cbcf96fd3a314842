// Issue 16 §3 and §5 scenario 5 in real Chromium against the real services: "Back up now" on a small logical
// policy shows live progress from dr.progress (through the console's stream) and ends with the verification's
// checks, a check over nothing reading "skipped"; a runbook link taken from a real alert (a failed verification
// of a corrupted backup) opens the rendered runbook after sign-in; axe + screenshots of every recovery screen.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir, readFile, rm, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@vigil/service-kit/testing';
import { SCREENSHOTS, launchBrowser, newUserPage, screen, screensOfFailure } from './fixtures/browser.js';
import { settled, signIn } from './fixtures/console-ui.js';
import { adminOverHttp, startPlatform, type Platform } from './fixtures/platform.js';

let p: Platform;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let serviceKey: string;
let source: string;
let repo: string;
let policyId: string;
let backupId: string;
const password = `Recovery-${randomBytes(6).toString('hex')}-Password`;

const SERVER = 'postgres://postgres@127.0.0.1:5432';

async function api<T = unknown>(base: string, method: string, url: string, body?: unknown): Promise<T> {
  const headers = { authorization: `Bearer ${serviceKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
  const res = await fetch(`${base}${url}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${url} ${res.status}: ${await res.text()}`);
  return (await res.json().catch(() => null)) as T;
}
const drApi = <T = unknown>(method: string, url: string, body?: unknown) => api<T>(p.services.dr.url, method, url, body);
/** The items of a list (every list answers `{items, nextCursor}`). */
const drList = async <T>(url: string) => (await drApi<{ items: T[] }>('GET', url)).items;

async function onServer(sql: string, db = 'postgres'): Promise<void> {
  const c = new pg.Client({ connectionString: `${SERVER}/${db}` });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  [p, browser] = await Promise.all([startPlatform('conrecovery'), launchBrowser()]);
  serviceKey = await p.env.apiKey(p.admin.tenant, 'admin');
  const admin = await adminOverHttp(p, password);
  ({ context, page } = await newUserPage(browser, p.url));
  await context.addCookies([{ name: 'vigil_session', value: admin.token, url: p.url, httpOnly: true, sameSite: 'Strict' }]);
  // A small scratch database: two tables and no index, so the restore's amcheck has nothing to check.
  source = `vigil_recui_${randomBytes(4).toString('hex')}`;
  await onServer(`CREATE DATABASE ${source}`);
  await onServer(
    `CREATE TABLE orders (id bigint, customer text, amount numeric(10, 2), placed_at timestamptz DEFAULT now());
     INSERT INTO orders (id, customer, amount) SELECT g, 'customer ' || (g % 97), (g % 500) + 0.5 FROM generate_series(1, 20000) g;
     CREATE TABLE order_events (order_id bigint, kind text);
     INSERT INTO order_events SELECT g, (ARRAY['placed','paid','shipped'])[1 + g % 3] FROM generate_series(1, 20000) g;`,
    source,
  );
  repo = await mkdtemp(path.join(tmpdir(), 'vigil-recovery-ui-'));
  const policy = await drApi<{ id: string }>('POST', '/v1/policies', {
    name: 'orders',
    sourceUrl: `${SERVER}/${source}`,
    schedule: '0 3 * * *',
    repositoryPath: repo,
    // Targets close to what a small restore measures, so the charts show the measures against them.
    rpoTargetSeconds: 120,
    rtoTargetSeconds: 30,
    drillSchedule: '0 4 * * 0',
  });
  policyId = policy.id;
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await p?.close();
  if (source) await onServer(`DROP DATABASE IF EXISTS ${source} WITH (FORCE)`).catch(() => undefined);
  if (repo) await rm(repo, { recursive: true, force: true });
});

const run = () => page.getByTestId('operation-run');
const checkRow = (name: string) => run().locator(`tr[data-check="${name}"]`);

describe('recovery', () => {
  it('"Back up now" shows live progress from dr.progress and ends with the verification\'s checks', async (t) => {
    t.onTestFailed(() => screensOfFailure(browser, 'recovery-backup'));
    await page.goto('/recovery');
    await settled(page);
    const row = page.getByRole('row', { name: /orders/ });
    await expect.poll(() => row.innerText()).toContain(source);
    await expect.poll(() => row.innerText()).toContain('never');
    await screen(page, 'recovery-policies-empty');

    await row.getByRole('link', { name: 'orders' }).click();
    await page.getByRole('heading', { level: 1, name: 'orders' }).waitFor();
    await settled(page);
    // Progress only arrives over the stream: it must be open before the run starts.
    await expect.poll(() => page.getByTestId('live-status').innerText(), { timeout: 15_000 }).toBe('Live');
    await page.getByRole('button', { name: 'Back up now' }).click();
    await run().waitFor();
    await expect.poll(() => run().getAttribute('data-state'), { timeout: 90_000 }).toBe('finished');

    // The live log holds the dr.progress events of both steps, as the stream delivered them.
    const log = page.getByTestId('progress-log');
    const kinds = await log.locator('li[data-kind]').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    expect(kinds).toContain('backup');
    expect(kinds).toContain('verification');
    expect(kinds.indexOf('backup')).toBeLessThan(kinds.indexOf('verification'));
    expect(await log.innerText()).toMatch(/100%/);
    const backups = await drList<{ id: string; status: string; verificationStatus: string }>(`/v1/policies/${policyId}/backups`);
    expect(backups).toHaveLength(1);
    backupId = backups[0]!.id;
    expect(backups[0]).toMatchObject({ status: 'completed', verificationStatus: 'passed' });

    // Ends with the verification's checks: each one as the service recorded it; amcheck had no index to check.
    const [verification] = await drList<{ checks: { name: string; outcome: string }[] }>(`/v1/policies/${policyId}/verifications`);
    const result = page.getByTestId('run-result');
    await result.waitFor();
    expect(await result.innerText()).toMatch(/Verification\s+passed/);
    expect(verification!.checks.map((c) => c.name).sort()).toEqual(['amcheck', 'manifest', 'restore_errors', 'row_counts', 'schema_diff', 'table_checksums']);
    for (const c of verification!.checks) expect(await checkRow(c.name).locator('.badge').innerText()).toBe(c.outcome);
    expect(await checkRow('amcheck').locator('.badge').innerText()).toBe('skipped');
    expect(await checkRow('amcheck').innerText()).toContain('no btree indexes to check');
    expect(await checkRow('row_counts').locator('.badge').innerText()).toBe('passed');
    // The rest of the page follows the run's end: the snapshot is now verified, the restore measured.
    await expect.poll(() => page.getByTestId('last-verified').innerText()).not.toMatch(/never/);
    await expect.poll(() => page.getByTestId('rto-chart-summary').innerText()).toMatch(/1 of 1 restore|0 of 1 restore/);
    await settled(page);
    await screen(page, 'recovery-backup-run');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screen(page, 'recovery-backup-run-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('"Run drill now" adds a drill to the history, and RPO/RTO are charted against target', async (t) => {
    t.onTestFailed(() => screensOfFailure(browser, 'recovery-drill'));
    await page.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('button', { name: 'Run drill now' }).click();
    await expect.poll(() => run().getAttribute('data-state'), { timeout: 90_000 }).toBe('finished');
    const kinds = await page.getByTestId('progress-log').locator('li[data-kind]').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    expect(kinds.length).toBeGreaterThan(0);
    expect(new Set(kinds)).toEqual(new Set(['drill']));
    await page.getByRole('button', { name: 'Close' }).click();

    const drills = page.getByRole('region', { name: 'Drill history' });
    await expect.poll(() => drills.locator('tbody tr').count(), { timeout: 15_000 }).toBe(1);
    expect(await drills.locator('tbody tr').innerText()).toMatch(/passed/);
    // Two restores measured (the verification and the drill): both on the charts, with words beside them.
    const history = await drApi<{ items: { at: string; rpoSeconds: number; rtoSeconds: number }[] }>('GET', `/v1/policies/${policyId}/objective-history`);
    expect(history.items).toHaveLength(2);
    // What the summaries must say, computed here from the raw measures and the targets.
    const within = (values: number[], target: number) => `${values.filter((v) => v <= target).length} of 2 restores within target`;
    await expect
      .poll(() => page.getByTestId('rpo-chart-summary').innerText(), { timeout: 15_000 })
      .toContain(within(history.items.map((i) => i.rpoSeconds), 120));
    expect(await page.getByTestId('rto-chart-summary').innerText()).toContain(within(history.items.map((i) => i.rtoSeconds), 30));
    expect(await page.locator('.objective-chart canvas').count()).toBe(2);
    // The restores are seconds apart: the time axis labels seconds, every label different and none touching the
    // next, at this width and on a narrower window (the chart reports the labels it drew and their measured edges).
    const xLabels = (chart: string) =>
      page.locator(`[aria-labelledby="${chart}"] .chart`).evaluate((el) => JSON.parse((el as HTMLElement).dataset.xLabels ?? '[]') as { text: string; left: number; right: number }[]);
    const secondsApart = Math.abs(Date.parse(history.items[1]!.at) - Date.parse(history.items[0]!.at)) < 60_000;
    const expectReadableAxis = async () => {
      for (const chart of ['rpo-chart', 'rto-chart']) {
        const labels = await xLabels(chart);
        expect(labels.length, chart).toBeGreaterThanOrEqual(1);
        for (const l of labels) expect(l.text, chart).toMatch(secondsApart ? /^\d\d:\d\d:\d\d$/ : /^\d\d:\d\d(:\d\d)?$/);
        expect(new Set(labels.map((l) => l.text)).size, chart).toBe(labels.length);
        for (let i = 1; i < labels.length; i++) expect(labels[i]!.left - labels[i - 1]!.right, `${chart}: ${JSON.stringify(labels)}`).toBeGreaterThanOrEqual(8);
      }
    };
    await expectReadableAxis();
    const wide = JSON.stringify(await xLabels('rpo-chart'));
    await page.setViewportSize({ width: 1000, height: 800 }); // two charts of about 350 px side by side
    // Redrawn for the new width (the labels move), then checked again.
    await expect.poll(async () => JSON.stringify(await xLabels('rpo-chart'))).not.toBe(wide);
    await expectReadableAxis();
    await screen(page, 'recovery-policy-narrow');
    await page.setViewportSize({ width: 1280, height: 800 });
    await expect.poll(async () => JSON.stringify(await xLabels('rpo-chart'))).toBe(wide);
    const objectives = await drApi<{ rpo: { breached: boolean }; rto: { breached: boolean } }>('GET', `/v1/policies/${policyId}/objectives`);
    await expect.poll(() => page.getByTestId('rto-now').innerText()).toMatch(objectives.rto.breached ? /breached/ : /met/);
    await screen(page, 'recovery-policy');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screen(page, 'recovery-policy-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    await page.goto('/recovery');
    await settled(page);
    await expect.poll(() => page.getByRole('row', { name: /orders/ }).innerText()).toMatch(/completed/);
    await screen(page, 'recovery-policies');
  });

  it('a runbook link from an alert opens the rendered runbook after sign-in', async (t) => {
    t.onTestFailed(() => screensOfFailure(browser, 'recovery-runbook'));
    // A real failure: one byte of the backup changed, verified again → VerificationFinished{failed, runbookUrl} →
    // alerting's BackupVerificationFailed alert carries that runbookUrl (as its Slack and PagerDuty payloads do).
    const { path: backupPath } = await drApi<{ path: string }>('GET', `/v1/backups/${backupId}`);
    const dump = path.join(backupPath, 'dump');
    const files = (await readdir(dump)).filter((f) => f.endsWith('.dat.gz'));
    const target = path.join(dump, files[0]!);
    const bytes = await readFile(target);
    const at = Math.floor(bytes.length / 2);
    bytes[at] = bytes[at]! ^ 0xff;
    await writeFile(target, bytes);
    await drApi('POST', `/v1/backups/${backupId}/verifications`);
    const alert = await eventually(async () => {
      const { items: alerts } = await api<{ items: { labels: Record<string, string>; annotations: Record<string, string> }[] }>(p.services.alerting.url, 'GET', '/v1/alerts?state=firing');
      return alerts.find((a) => a.labels.alertname === 'BackupVerificationFailed' && a.labels.policy_id === policyId);
    }, 60_000);
    const link = alert.annotations.runbook_url!;
    expect(link).toBe(`${p.url}/runbooks/verification-failure`);

    // Signed out, the link does not answer 401: it is the console's page, which sends the visitor to sign in.
    const plain = await fetch(link, { redirect: 'manual' });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-type')).toContain('text/html');
    const stranger = await newUserPage(browser, p.url);
    try {
      await stranger.page.goto(link);
      await stranger.page.getByRole('button', { name: 'Sign in' }).waitFor();
      expect(new URL(stranger.page.url()).pathname).toBe('/signin');
      expect(new URL(stranger.page.url()).searchParams.get('redirect')).toBe('/runbooks/verification-failure');
      // The runbook's markdown itself is behind the session too.
      expect((await stranger.context.request.get('/api/dr/v1/runbooks/verification-failure')).status()).toBe(401);
      await signIn(stranger.page, p.admin.email, password);
      const { title } = (await drList<{ slug: string; title: string }>('/v1/runbooks')).find((r) => r.slug === 'verification-failure')!;
      const article = stranger.page.getByRole('article', { name: title, exact: true });
      await article.waitFor();
      expect(new URL(stranger.page.url()).pathname).toBe('/runbooks/verification-failure');
      // Rendered, not shown as markdown source: headings, lists and code are elements.
      await article.getByRole('heading', { level: 1, name: title, exact: true }).waitFor();
      expect(await article.getByRole('heading', { level: 2 }).count()).toBeGreaterThan(1);
      expect(await article.locator('code').count()).toBeGreaterThan(0);
      expect(await article.innerText()).not.toMatch(/^#+ /m);
      await settled(stranger.page);
      await screen(stranger.page, 'runbook');
      await stranger.page.emulateMedia({ colorScheme: 'dark' });
      await screen(stranger.page, 'runbook-dark');
    } finally {
      await stranger.context.close();
    }
  });

  it('the runbook list and the printable business continuity document', async (t) => {
    t.onTestFailed(() => screensOfFailure(browser, 'recovery-continuity'));
    await page.goto('/runbooks');
    await settled(page);
    const runbooks = await drList<{ slug: string; title: string }>('/v1/runbooks');
    expect(await page.locator('.runbook-card').count()).toBe(runbooks.length);
    await screen(page, 'runbooks');

    await page.getByRole('link', { name: 'Business continuity' }).click();
    const doc = page.getByRole('article', { name: 'Business continuity document' });
    await doc.waitFor();
    await settled(page);
    expect(await doc.innerText()).toContain('orders');
    expect(await doc.locator('table').count()).toBeGreaterThan(0);
    // The wording follows the data: a drill passed on the backup the test above corrupted and failed again, so the
    // document says it was proven, by what and when, and that it no longer stands — not that none ever was.
    const [drill] = await drList<{ kind: string; status: string; finishedAt: string }>(`/v1/policies/${policyId}/drills`);
    expect(drill).toMatchObject({ kind: 'drill', status: 'passed' });
    const proof = doc.getByRole('listitem').filter({ hasText: /^orders: .*backup/ });
    expect(await proof.innerText()).toBe(
      `orders: no backup stands proven now: the backup of ${new Date((await drApi<{ snapshotAt: string }>('GET', `/v1/backups/${backupId}`)).snapshotAt).toISOString()} passed a DR drill on ${new Date(drill!.finishedAt).toISOString()}, but a later verification of it failed.`,
    );
    expect(await doc.innerText()).not.toContain('No backup has ever been proven');
    await screen(page, 'recovery-continuity');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screen(page, 'recovery-continuity-dark');
    // Printed: the document alone, on white, without the console's navigation.
    await page.emulateMedia({ media: 'print', colorScheme: 'light' });
    expect(await page.locator('.sidenav').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Print' }).isVisible()).toBe(false);
    expect(await doc.isVisible()).toBe(true);
    await screen(page, 'recovery-continuity-print');
    const pdf = await page.pdf({ format: 'A4', printBackground: true, margin: { top: '16mm', bottom: '16mm', left: '14mm', right: '14mm' } });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // The PDF turns into page images (poppler's pdftoppm), the first of them kept beside the screenshots.
    for (const f of await readdir(SCREENSHOTS)) if (f.startsWith('recovery-continuity-pdf')) await rm(path.join(SCREENSHOTS, f));
    const pdfFile = path.join(repo, 'continuity.pdf');
    await writeFile(pdfFile, pdf);
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', pdfFile, path.join(SCREENSHOTS, 'recovery-continuity-pdf')]);
    const pages = (await readdir(SCREENSHOTS)).filter((f) => f.startsWith('recovery-continuity-pdf') && f.endsWith('.png'));
    expect(pages.length).toBe(1);
    await page.emulateMedia({ media: 'screen' });

    // A policy name is free text and goes into the generated markdown as it is: the rendering must neutralise HTML in it.
    await drApi('POST', '/v1/policies', {
      name: 'ledger <img src="x" onerror="window.__vigilXss = 1"> <a href="javascript:window.__vigilXss = 2">x</a>',
      sourceUrl: `${SERVER}/${source}`,
      schedule: '0 5 * * *',
      repositoryPath: repo,
    });
    await page.reload();
    await doc.waitFor();
    await settled(page);
    expect(await doc.innerText()).toContain('ledger');
    // A policy nothing was ever restored from is the one that says so.
    expect(await doc.innerText()).toMatch(/ledger [^\n]*: no backup has ever been proven by a restore\./);
    expect(await doc.innerText()).toContain('No backup has ever been proven by a restore.');
    // Shown as the text it is, not as markup.
    expect(await doc.innerText()).toContain('<img src="x" onerror=');
    expect(await doc.locator('img').count()).toBe(0);
    expect(await doc.locator('[onerror]').count()).toBe(0);
    expect(await doc.locator('a[href^="javascript:"]').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as { __vigilXss?: number }).__vigilXss)).toBeUndefined();
  });
});
