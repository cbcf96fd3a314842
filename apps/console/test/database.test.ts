// Issue 16 §5 scenario 1 and the database screens of scenario 7, in real Chromium against the real
// services: a throwaway PostgreSQL target (its own scratch cluster, so pg_stat_statements is preloaded on
// this machine and in CI alike) with a missing index on a large table. Its score, the failing check and
// the index advice with its CREATE INDEX are on the page; the test runs that statement on the target,
// marks the advice applied, and the optimization history shows the figures before and after.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createShop, runWorkload } from '../../../services/perf-collector/test/fixtures/workload.js';
import { startScratchPostgres, type ScratchPostgres } from '../../../services/perf-collector/test/fixtures/scratch-postgres.js';
import { launchBrowser, newUserPage, screen, screensOfFailure } from './fixtures/browser.js';
import { firstAdminSignIn, settled, strongPassword } from './fixtures/console-ui.js';
import { startPlatform, type Platform } from './fixtures/platform.js';

let p: Platform;
let browser: Browser;
let target: ScratchPostgres;
let admin: { context: BrowserContext; page: Page };
let targetId: string;
const DSN_SECRET = 'dsn-s3cret-never-shown';
const MISSING = 'CREATE INDEX CONCURRENTLY ON public.orders (customer_id);';
const n1 = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });

beforeAll(async () => {
  [p, browser, target] = await Promise.all([
    startPlatform('condb', { selfMetricsMs: 1_000 }),
    launchBrowser(),
    // shared_buffers below the orders table's size: its sequential scans read blocks instead of hitting them.
    startScratchPostgres(25437, { settings: { shared_buffers: '8MB' } }).then(async (t) => {
      await createShop(t, 'shop');
      return t;
    }),
  ]);
  admin = await newUserPage(browser, p.url);
  await firstAdminSignIn(admin.page, p.admin.email, p.admin.initialPassword, strongPassword());
}, 240_000);

beforeEach(({ task, onTestFailed }) => onTestFailed(() => screensOfFailure(browser, task.name)));

afterAll(async () => {
  const t0 = Date.now();
  await browser?.close();
  const t1 = Date.now();
  await p?.close();
  const t2 = Date.now();
  await target?.stop();
  console.log(`[database] closed browser ${t1 - t0} ms, platform ${t2 - t1} ms, target ${Date.now() - t2} ms`);
}, 120_000);

const api = async <T>(path: string): Promise<T> => {
  const res = await admin.context.request.get(`/api/perf${path}`);
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()) as T;
};
/** The items of a list endpoint (one page: the lists here are short). */
const list = async <T>(path: string): Promise<T[]> => (await api<{ items: T[] }>(path)).items;

/** Presses "Collect now" and waits for the cycle's answer and the page's refreshed score. */
async function collectNow(page: Page) {
  const done = page.waitForResponse((r) => r.url().endsWith(`/databases/${targetId}/collections`) && r.request().method() === 'POST', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Collect now' }).click();
  const res = await done;
  expect(res.status(), await res.text()).toBe(200);
  expect((await res.json()).status).toBe('ok');
  await page.getByRole('button', { name: 'Collect now' }).waitFor();
  await settled(page);
}

const tab = (page: Page, name: string) => page.getByRole('tablist').last().getByRole('tab', { name, exact: true });

describe('scenario 1: a throwaway target with a missing index', () => {
  it('adds the target with a write-only connection string; the list shows it', async () => {
    const { page } = admin;
    await page.goto('/database');
    await settled(page);
    await page.getByText('No database is monitored yet.').waitFor();
    await screen(page, 'database-empty');
    await page.getByRole('button', { name: 'Add database' }).click();
    await page.getByLabel('Name').fill('shop');
    await page.getByLabel('Connection string').fill(`postgres://postgres:${DSN_SECRET}@127.0.0.1:${target.port}/shop`);
    await page.getByLabel('Disk limit (GB)').fill('1');
    expect(await page.getByLabel('Connection string').getAttribute('type')).toBe('password');
    await screen(page, 'database-add');
    await page.getByRole('button', { name: 'Add database' }).last().click();
    await page.getByRole('link', { name: 'shop', exact: true }).waitFor();
    // Typed once: the form is gone, and neither the page nor the API shows the secret again.
    expect(await page.getByLabel('Connection string').count()).toBe(0);
    expect(await page.content()).not.toContain(DSN_SECRET);
    const [t] = await list<{ id: string; connection: string }>('/v1/databases');
    targetId = t!.id;
    expect(JSON.stringify(t)).not.toContain(DSN_SECRET);
  }, 60_000);

  it('shows the score, the failing check and the index advice with its CREATE INDEX', async () => {
    const { page } = admin;
    await page.getByRole('link', { name: 'shop', exact: true }).click();
    await page.getByRole('heading', { name: 'shop', level: 1 }).waitFor();
    await collectNow(page);
    await runWorkload(target, 'shop', { customerQueries: 30, slow: false });
    await collectNow(page);
    // A second interval, so the statements have a trend and the charts a line.
    await runWorkload(target, 'shop', { customerQueries: 15, slow: false });
    await collectNow(page);

    const current = await api<{ score: number; checks: { name: string; outcome: string; value: number | null }[] }>(`/v1/databases/${targetId}/health/current`);
    expect(current.score).toBeLessThan(100);
    const cache = current.checks.find((c) => c.name === 'cache_hit_ratio')!;
    expect(cache.outcome).toBe('failed');
    await expect.poll(() => page.locator('.target-head .score').getAttribute('aria-label')).toBe(`health score ${current.score} of 100`);
    const check = page.locator('li[data-check="cache_hit_ratio"]');
    await expect.poll(() => check.innerText()).toContain('Warning');
    const text = await check.innerText();
    expect(text).toContain('Cache hit ratio');
    expect(text).toContain(`${n1.format(cache.value!)} %`);
    expect(text).toContain('warns < 90 %');
    expect(await page.locator('li[data-check="query_time"]').innerText()).toMatch(/Pass[\s\S]*Mean query time[\s\S]*warns ≥ 1,000 ms, critical ≥ 5,000 ms/);
    expect(await page.locator('li[data-check="connection_use"]').innerText()).toContain('warns ≥ 80 %, critical ≥ 95 %');
    expect(await page.locator('li[data-check="connection_latency"]').innerText()).toContain('warns ≥ 100 ms, critical ≥ 200 ms');
    await page.locator('.chart-card canvas').first().waitFor();
    await screen(page, 'database-target');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screen(page, 'database-target-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // The slow statement's history and its plan, made now without ANALYZE: a sequential scan with a filter.
    await tab(page, 'Queries').click();
    await settled(page);
    await page.getByRole('link', { name: /WHERE customer_id = \$1/ }).first().click();
    await page.getByRole('heading', { name: /^Statement / }).waitFor();
    await page.getByRole('button', { name: 'Explain now' }).click();
    await expect.poll(() => page.getByRole('list', { name: 'Query plan' }).innerText(), { timeout: 20_000 }).toContain('Seq Scan');
    expect(await page.getByRole('list', { name: 'Query plan' }).innerText()).toContain('on orders');
    await screen(page, 'database-query');

    await tab(page, 'Indexes').click();
    await settled(page);
    const card = page.locator('article[data-kind="missing_index"]');
    await expect.poll(() => card.innerText()).toContain(MISSING);
    const [rec] = (await list<{ kind: string; queries: { costBefore: number; costAfter: number }[] }>(`/v1/databases/${targetId}/recommendations`)).filter((r) => r.kind === 'missing_index');
    const cardText = await card.innerText();
    expect(cardText).toContain(n1.format(rec!.queries[0]!.costBefore));
    expect(cardText).toContain(n1.format(rec!.queries[0]!.costAfter));
    expect(cardText).toMatch(/Estimated index size\s+[\d.,]+ (kB|MB)/);
    for (const kind of ['duplicate_index', 'unused_index', 'invalid_index']) expect(await page.locator(`article[data-kind="${kind}"]`).first().innerText()).toContain('DROP INDEX CONCURRENTLY');
    await screen(page, 'database-indexes');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screen(page, 'database-indexes-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  }, 120_000);

  it('after the CREATE INDEX runs on the target, marking it applied records the before and after', async () => {
    const { page } = admin;
    const card = page.locator('article[data-kind="missing_index"]');
    // Not yet run: the service finds the plans unchanged and refuses to record it.
    await card.getByRole('button', { name: 'Mark as applied' }).click();
    await expect.poll(() => card.getByRole('alert').innerText()).toContain('the index is not there yet');

    await target.sql('shop', MISSING);
    await card.getByRole('button', { name: 'Mark as applied' }).click();
    const row = page.locator('table.history tr[data-optimization]');
    await row.first().waitFor();
    await expect.poll(() => card.count()).toBe(0);
    let [opt] = await list<{ queries: { costBefore: number; costAfter: number; meanMsBefore: number; meanMsAfter: number | null }[] }>(`/v1/databases/${targetId}/optimizations`);
    let q = opt!.queries[0]!;
    expect(q.costAfter).toBeLessThan(q.costBefore / 2);
    const rowText = await row.first().innerText();
    expect(rowText).toContain(MISSING);
    expect(rowText).toContain(`${n1.format(q.costBefore)} → ${n1.format(q.costAfter)}`);
    expect(rowText).toContain('not yet measured');

    // The next collected interval measures the mean time after.
    await runWorkload(target, 'shop', { customerQueries: 30, slow: false });
    await collectNow(page);
    await expect.poll(() => row.first().innerText()).not.toContain('not yet measured');
    [opt] = await list(`/v1/databases/${targetId}/optimizations`);
    q = opt!.queries[0]!;
    expect(q.meanMsAfter).not.toBeNull();
    expect(q.meanMsBefore).toBeGreaterThan(q.meanMsAfter!);
    expect(await row.first().innerText()).toMatch(/ms\s*→\s*[\d.,]+ ms/);
    console.log(`[database] plan cost ${q.costBefore} → ${q.costAfter}; mean ${q.meanMsBefore} ms → ${q.meanMsAfter} ms`);
    await page.locator('#history-title').scrollIntoViewIfNeeded();
    await screen(page, 'database-history');
  }, 120_000);
});

describe('scenario 7: every database screen passes axe, with screenshots', () => {
  it('capacity, the targets list with its trend, APM with Vigil’s own services, and an unknown target', async () => {
    const { page } = admin;
    await tab(page, 'Capacity').click();
    await settled(page);
    await page.getByRole('heading', { name: 'Database size' }).waitFor();
    expect(await page.locator('.stat').first().innerText()).toMatch(/disk full in/i);
    expect(await page.getByRole('table').last().innerText()).toContain('public.orders');
    await screen(page, 'database-capacity');

    await page.goto('/database');
    await settled(page);
    const listed = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'shop', exact: true }) });
    const { score } = await api<{ score: number }>(`/v1/databases/${targetId}/health/current`);
    expect(await listed.getByRole('img', { name: /^health score/ }).getAttribute('aria-label')).toBe(`health score ${score} of 100`);
    expect(await listed.getByRole('img', { name: /health over 7 days/ }).count()).toBe(1);
    await screen(page, 'database-targets');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screen(page, 'database-targets-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // Vigil's own services report their HTTP metrics over OTLP: perf-collector has answered this page's calls.
    await page.goto('/database/apm');
    await expect
      .poll(
        async () => {
          await page.reload();
          await settled(page);
          return page.getByRole('link', { name: 'perf-collector', exact: true }).count();
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBe(1);
    const perfRow = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'perf-collector', exact: true }) });
    expect(await perfRow.innerText()).toMatch(/Vigil[\s\S]*\d[\d.,]* ms[\s\S]*\d[\d.,]* ms[\s\S]*\d[\d.,]* ms/);
    await screen(page, 'database-apm');
    await page.getByRole('link', { name: 'perf-collector', exact: true }).click();
    await page.getByRole('heading', { name: 'perf-collector', level: 2 }).waitFor();
    await settled(page);
    expect(await page.getByRole('table').last().innerText()).toContain('http.server.request.duration');
    await screen(page, 'database-apm-service');

    await page.goto('/database/no-such-target');
    await page.getByRole('heading', { name: 'Database not found' }).waitFor();
    expect(await page.getByRole('alert').innerText()).toContain('PERF_TARGET_NOT_FOUND');
    await screen(page, 'database-not-found');
  }, 120_000);

  it('the overview tile’s link opens the target page; removing the target asks first', async () => {
    const { page } = admin;
    await page.goto(`/database?db=${targetId}`);
    await page.getByRole('heading', { name: 'shop', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/database/${targetId}`);
    await page.goto('/database');
    await settled(page);
    await page.getByRole('button', { name: 'Remove shop' }).click();
    await page.getByRole('dialog').waitFor();
    await screen(page, 'database-remove');
    await page.getByRole('button', { name: 'Remove database' }).click();
    await page.getByText('No database is monitored yet.').waitFor();
    expect(await list('/v1/databases')).toEqual([]);
  }, 60_000);
});
