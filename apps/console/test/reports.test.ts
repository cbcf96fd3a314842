// Issue 16 §5 scenario 6 (and the report screen's part of 7) in real Chromium against the real console,
// services and Kafka: alerts acknowledged and resolved at known times; the executive report shows the
// MTTA and MTTR the test computes itself; its PDF (printed by the console's own Chromium) opens, turns
// into PNG pages and holds the same figures; the CSV parses; a weekly schedule delivers a signed report
// to a local webhook sink when it falls due.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, copyFileSync, mkdirSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { insertRenderToken } from '../server/db/report-render-tokens.js';
import { newRenderToken } from '../server/domain/render-token.js';
import { signatureValid } from '../server/domain/report-schedule.js';
import { REPORT_DELIVERIES_TASK } from '../server/jobs/report-deliveries.js';
import { launchBrowser, newUserPage, screen, SCREENSHOTS, screensOfFailure } from './fixtures/browser.js';
import { call, firstAdminSignIn, settled, strongPassword } from './fixtures/console-ui.js';
import { signInOverHttp, startPlatform, type Platform } from './fixtures/platform.js';

const run = promisify(execFile);
let p: Platform;
let browser: Browser;
let admin: { context: BrowserContext; page: Page };
const adminPassword = strongPassword();
const tag = randomBytes(3).toString('hex');
const work = mkdtempSync(path.join(tmpdir(), 'vigil-reports-'));

// The seeded period: [T − 3 h, T). Minutes relative to T: start, acknowledgement, resolution.
const T = Math.floor(Date.now() / 1000) * 1000;
const at = (minutes: number) => new Date(T + minutes * 60_000).toISOString();
const SEED = [
  { name: `ReportDbDown-${tag}`, severity: 'critical', start: -120, ack: -116, resolve: -110 },
  { name: `ReportSlowApi-${tag}`, severity: 'warning', start: -90, ack: -82, resolve: -60 },
  { name: `ReportQueueLag-${tag}`, severity: 'warning', start: -50, ack: null, resolve: -5 },
  { name: `ReportDiskFull-${tag}`, severity: 'warning', start: -30, ack: -27, resolve: null },
] as const;
const period = { from: at(-180), to: at(0) };

// Computed here, from the seed alone: the mean of (ack − start) and of (resolve − start), in seconds.
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const expectedMtta = mean(SEED.filter((s) => s.ack !== null).map((s) => (s.ack! - s.start) * 60));
const expectedMttr = mean(SEED.filter((s) => s.resolve !== null).map((s) => (s.resolve! - s.start) * 60));
// Critical open time: only the first alert, start → resolve; the period is 3 h long.
const expectedAvailability = (180 * 60 - (SEED[0].resolve - SEED[0].start) * 60) / (180 * 60);
// One console incident, opened from the second alert (so it starts when that alert started), acknowledged
// and resolved at known minutes. Its MTTA and MTTR, computed here: one incident, so the mean is its own time.
const INCIDENT = { title: `Checkout degraded ${tag}`, alert: SEED[1], ack: -87, resolve: -75 } as const;
const expectedIncidentMtta = (INCIDENT.ack - INCIDENT.alert.start) * 60;
const expectedIncidentMttr = (INCIDENT.resolve - INCIDENT.alert.start) * 60;
/** The page's own rule for a duration under 90 minutes (minutes, one decimal). */
const asMinutes = (s: number) => `${(s / 60).toFixed(1)} min`;

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}
let sink: Server;
let sinkUrl = '';
const received: Received[] = [];

beforeAll(async () => {
  sink = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/hooks/vigil-${tag}`;
  [p, browser] = await Promise.all([startPlatform('reports'), launchBrowser()]);
  admin = await newUserPage(browser, p.url);
  await firstAdminSignIn(admin.page, p.admin.email, p.admin.initialPassword, adminPassword);
  await seedAlerts();
  await seedIncident();
  await seedOtherDomains();
}, 240_000);

beforeEach(({ task, onTestFailed }) => onTestFailed(() => screensOfFailure(browser, task.name)));

afterAll(async () => {
  await browser?.close();
  await p?.close();
  await new Promise((resolve) => sink?.close(resolve));
  rmSync(work, { recursive: true, force: true });
}, 60_000);

/**
 * Fires the alerts through alerting's Alertmanager API (with their past start), acknowledges and resolves
 * them through its API, then — no API sets a past acknowledgement or resolution time — moves those two
 * times to the seed's values in the test database (the clock, as the test arranges it).
 */
async function seedAlerts(): Promise<void> {
  const { context } = admin;
  const posted = await call(
    context,
    'POST',
    '/api/alerting/api/v2/alerts',
    SEED.map((s) => ({ labels: { alertname: s.name, severity: s.severity, team: 'reports' }, startsAt: at(s.start) })),
  );
  expect(posted.status(), await posted.text()).toBe(200);
  for (const s of SEED) {
    const list = await context.request.get(`/api/alerting/v1/alerts?label=${encodeURIComponent(`alertname=${s.name}`)}`);
    expect(list.status()).toBe(200);
    const body = (await list.json()) as { id: string }[] | { items: { id: string }[] };
    const alert = (Array.isArray(body) ? body : body.items)[0]!;
    if (s.ack !== null) expect((await call(context, 'POST', `/api/alerting/v1/alerts/${alert.id}/acknowledge`, {})).status()).toBe(200);
    if (s.resolve !== null) expect((await call(context, 'POST', `/api/alerting/v1/alerts/${alert.id}/resolve`, {})).status()).toBe(200);
    await p.db.query(`UPDATE alerting.alerts SET acknowledged_at = $2, resolved_at = $3, ends_at = coalesce($3, ends_at) WHERE id = $1`, [
      alert.id,
      s.ack === null ? null : at(s.ack),
      s.resolve === null ? null : at(s.resolve),
    ]);
    await p.db.query(`UPDATE alerting.alert_history SET at = $2 WHERE alert_id = $1 AND to_state = 'acknowledged'`, [alert.id, s.ack === null ? null : at(s.ack)]);
    await p.db.query(`UPDATE alerting.alert_history SET at = $2 WHERE alert_id = $1 AND to_state = 'resolved'`, [alert.id, s.resolve === null ? null : at(s.resolve)]);
    await p.db.query(`UPDATE alerting.alert_history SET at = $2 WHERE alert_id = $1 AND to_state = 'firing'`, [alert.id, at(s.start)]);
  }
}

/**
 * Opens the incident through the console's incidents API from its alert (which sets its start), acknowledges
 * and resolves it there, then — no API sets a past acknowledgement or resolution — moves those two times,
 * and the durations the console recorded from them, to the seed's values in the test database.
 */
async function seedIncident(): Promise<void> {
  const { context } = admin;
  const list = await context.request.get(`/api/alerting/v1/alerts?label=${encodeURIComponent(`alertname=${INCIDENT.alert.name}`)}`);
  const body = (await list.json()) as { id: string }[] | { items: { id: string }[] };
  const alert = (Array.isArray(body) ? body : body.items)[0]!;
  const opened = await call(context, 'POST', '/api/incidents', {
    title: INCIDENT.title,
    alerts: [{ alertId: alert.id, name: INCIDENT.alert.name, severity: INCIDENT.alert.severity, startsAt: at(INCIDENT.alert.start) }],
  });
  expect(opened.status(), await opened.text()).toBe(201);
  const { id, startedAt } = (await opened.json()) as { id: string; startedAt: string };
  expect(startedAt).toBe(at(INCIDENT.alert.start));
  for (const status of ['acknowledged', 'resolved']) {
    const res = await call(context, 'PATCH', `/api/incidents/${id}`, { status });
    expect(res.status(), await res.text()).toBe(200);
  }
  const { rowCount } = await p.db.query(`UPDATE console.incidents SET acknowledged_at = $2, resolved_at = $3, tta_seconds = $4, ttr_seconds = $5 WHERE id = $1 AND status = 'resolved'`, [
    id,
    at(INCIDENT.ack),
    at(INCIDENT.resolve),
    expectedIncidentMtta,
    expectedIncidentMttr,
  ]);
  expect(rowCount).toBe(1);
}

// The other sections, through the services' APIs: consent decisions, a breach notified after 2 h, a
// monitored database with three health scores (scored now; moved into the period like the alerts).
const CONSENT = [
  { subject: `s1-${tag}`, purpose: 'marketing', granted: true },
  { subject: `s2-${tag}`, purpose: 'marketing', granted: true },
  { subject: `s3-${tag}`, purpose: 'marketing', granted: false },
  { subject: `s1-${tag}`, purpose: 'analytics', granted: true },
];
const BREACH = { title: `Misdirected export ${tag}`, aware: -150, notified: -30 };
const DATABASE = `orders-${tag}`;
const POLICY = `orders nightly ${tag}`;
// Two error issues first seen in the period (events through the console's Sentry ingest path), one resolved in it.
const ISSUES = [
  { type: `CheckoutError${tag}`, first: -40, resolved: -10 },
  { type: `InventoryTimeout${tag}`, first: -20, resolved: null },
];

async function seedOtherDomains(): Promise<void> {
  const { context } = admin;
  for (const c of CONSENT) {
    const res = await call(context, 'POST', '/api/gdpr/v1/consents', { subjectId: c.subject, purpose: c.purpose, granted: c.granted, noticeVersion: 'v3', channel: 'web', source: 'signup-form' });
    expect(res.status(), await res.text()).toBe(201);
  }
  const breach = await call(context, 'POST', '/api/gdpr/v1/breaches', {
    title: BREACH.title,
    awareAt: at(BREACH.aware),
    nature: 'An export of 40 order records was e-mailed to the wrong customer.',
    dataCategories: ['contact details', 'order history'],
    approxSubjects: 40,
    dpoContact: 'dpo@example.com',
    likelyConsequences: 'Low: no payment data.',
    measures: 'Recipient confirmed deletion.',
    risk: 'risk',
  });
  expect(breach.status(), await breach.text()).toBe(201);
  const { id: breachId } = (await breach.json()) as { id: string };
  expect((await call(context, 'PATCH', `/api/gdpr/v1/breaches/${breachId}`, { authorityNotifiedAt: at(BREACH.notified) })).status()).toBe(200);

  const policy = await call(context, 'POST', '/api/dr/v1/policies', {
    name: POLICY,
    sourceUrl: p.env.databaseUrl,
    schedule: '0 3 * * *',
    repositoryPath: path.join(work, 'backups'),
    rpoTargetSeconds: 86_400,
    enabled: false,
  });
  expect(policy.status(), await policy.text()).toBe(201);

  const project = await call(context, 'POST', '/api/errors/v1/projects', { name: `shop-${tag}` });
  expect(project.status(), await project.text()).toBe(201);
  const { id: projectId } = (await project.json()) as { id: string };
  const key = await call(context, 'POST', `/api/errors/v1/projects/${projectId}/keys`, { label: 'report test' });
  expect(key.status(), await key.text()).toBe(201);
  const { publicKey } = (await key.json()) as { publicKey: string };
  for (const i of ISSUES) {
    const event = { event_id: randomBytes(16).toString('hex'), timestamp: Date.now() / 1000, platform: 'node', level: 'error', exception: { values: [{ type: i.type, value: 'seeded for the report' }] } };
    const res = await fetch(`${p.url}/api/${projectId}/store/?sentry_key=${publicKey}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });
    expect(res.status, await res.text()).toBe(200);
  }
  type Issue = { id: string; title: string };
  // Ingest is asynchronous: the issues appear once their events are processed.
  let issues: Issue[] = [];
  for (const until = Date.now() + 30_000; issues.length < ISSUES.length; ) {
    if (Date.now() > until) throw new Error(`error-ingest made ${issues.length} of ${ISSUES.length} issues within 30 s`);
    await new Promise((r) => setTimeout(r, 250));
    issues = ((await (await context.request.get(`/api/errors/v1/projects/${projectId}/issues?limit=50`)).json()) as { items: Issue[] }).items;
  }
  for (const i of ISSUES) {
    const issue = issues.find((x) => x.title.startsWith(i.type))!;
    if (i.resolved !== null) expect((await call(context, 'PATCH', `/api/errors/v1/projects/${projectId}/issues/${issue.id}`, { status: 'resolved' })).status()).toBe(200);
    await p.db.query(`UPDATE errors.issues SET first_seen = $2, last_seen = $2, resolved_at = coalesce($3, resolved_at) WHERE id = $1`, [issue.id, at(i.first), i.resolved === null ? null : at(i.resolved)]);
  }

  const target = await call(context, 'POST', '/api/perf/v1/databases', { name: DATABASE, connectionString: p.env.databaseUrl });
  expect(target.status(), await target.text()).toBe(201);
  const { id: databaseId } = (await target.json()) as { id: string };
  for (const [n, meanMs] of [40, 900, 2_400].entries()) {
    const res = await call(context, 'POST', `/api/perf/v1/databases/${databaseId}/health-snapshots`, {
      databaseName: DATABASE,
      maxMeanQueryMs: meanMs,
      connectionsUsed: 20 + n * 20,
      maxConnections: 100,
      cacheHitRatio: 0.99 - n * 0.04,
      connectionLatencyMs: 5 + n * 40,
    });
    expect(res.status(), await res.text()).toBe(201);
  }
  // Scored now: moved into the period, 40 minutes apart.
  const { rowCount } = await p.db.query(
    `UPDATE perf.health_scores h SET scored_at = $2::timestamptz - (x.rn * interval '40 minutes')
     FROM (SELECT ctid, row_number() OVER (ORDER BY scored_at DESC) AS rn FROM perf.health_scores WHERE database_id = $1) x
     WHERE h.ctid = x.ctid`,
    [databaseId, at(-10)],
  );
  expect(rowCount).toBe(3);
}

const reportPath = `/reports?from=${encodeURIComponent(period.from)}&to=${encodeURIComponent(period.to)}`;

describe('scenario 6: the executive report of a seeded period', () => {
  it('shows the MTTA, MTTR and availability computed independently, and links to the alerts behind them', async () => {
    const { page } = admin;
    await page.goto(reportPath);
    await page.getByTestId('executive-report').waitFor();
    await settled(page);
    expect(await page.getByTestId('kpi-mtta-value').innerText()).toBe(asMinutes(expectedMtta));
    expect(await page.getByTestId('mtta-detail').innerText()).toBe(`${expectedMtta} s mean · 3 acknowledged`);
    expect(await page.getByTestId('kpi-mttr-value').innerText()).toBe(asMinutes(expectedMttr));
    expect(await page.getByTestId('mttr-detail').innerText()).toBe(`${expectedMttr} s mean · 3 resolved`);
    expect(await page.getByTestId('kpi-availability-value').innerText()).toBe(`${(expectedAvailability * 100).toFixed(2)} %`);
    expect(await page.getByTestId('kpi-alerts-value').innerText()).toBe('4');
    // Each row of the response table links to its alert.
    const rows = page.getByTestId('response-table').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(4);
    const link = page.getByTestId('response-table').getByRole('link', { name: SEED[1].name });
    expect(await link.getAttribute('href')).toMatch(/^\/alerts\?alert=[0-9a-f-]{36}$/);
    // The incident's own MTTA and MTTR, and a link to the incident behind them.
    expect(await page.getByTestId('incident-summary').innerText()).toContain(`Incidents: MTTA ${asMinutes(expectedIncidentMtta)}, MTTR ${asMinutes(expectedIncidentMttr)} (1 resolved)`);
    expect(await page.getByTestId('incident-detail').innerText()).toContain(`${expectedIncidentMtta} s / ${expectedIncidentMttr} s mean · 1 acknowledged`);
    const incidentLink = page.getByTestId('incident-table').getByRole('link', { name: INCIDENT.title });
    expect(await incidentLink.getAttribute('href')).toMatch(/^\/incidents\/[0-9a-f-]{36}$/);
    // The other sections, from the seeded records.
    const privacy = page.getByTestId('section-privacy');
    await privacy.getByText(BREACH.title).waitFor();
    expect(await privacy.getByRole('row', { name: new RegExp(BREACH.title) }).innerText()).toContain(`${(BREACH.notified - BREACH.aware) / 60} h`);
    expect(await privacy.locator('.bars li', { hasText: 'marketing' }).innerText()).toContain('67 %');
    const db = page.getByTestId('section-database').getByRole('row', { name: new RegExp(DATABASE) });
    expect((await db.innerText()).split(/\s+/)[1]).toBe('3');
    expect(await page.getByTestId('errors-new').innerText()).toBe(String(ISSUES.length));
    expect(await page.getByTestId('kpi-errors-detail').innerText()).toBe(`0 regressed · ${ISSUES.filter((i) => i.resolved !== null).length} resolved`);
    expect(await page.getByTestId('section-errors').getByRole('link', { name: new RegExp(ISSUES[0]!.type) }).first().getAttribute('href')).toMatch(/^\/errors\?project=\d+&issue=\d+$/);
    // A policy never verified is over its RPO, not "within".
    expect(await page.getByTestId('section-recovery').getByRole('row', { name: new RegExp(POLICY) }).innerText()).toContain('never verified');
    await screen(page, 'report');
    // The same screen in the dark theme (the preference is "auto": it follows the system).
    await page.emulateMedia({ colorScheme: 'dark' });
    await screen(page, 'report-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('downloads a PDF that opens, turns into PNG pages and holds the same figures; the render token works once', async () => {
    const { page } = admin;
    await page.goto(reportPath);
    await page.getByTestId('executive-report').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId('download-pdf').click()]);
    const pdf = path.join(work, 'report.pdf');
    await download.saveAs(pdf);
    expect(readFileSync(pdf).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await run('pdftoppm', ['-png', '-r', '70', pdf, path.join(work, 'page')]);
    const pngs = readdirSync(work).filter((f) => /^page-\d+\.png$/.test(f)).sort();
    expect(pngs.length).toBeGreaterThan(0);
    for (const f of pngs) expect(statSync(path.join(work, f)).size).toBeGreaterThan(5_000);
    mkdirSync(SCREENSHOTS, { recursive: true });
    for (const old of readdirSync(SCREENSHOTS).filter((f) => f.startsWith('report-pdf-page-'))) rmSync(path.join(SCREENSHOTS, old));
    pngs.forEach((f, i) => copyFileSync(path.join(work, f), path.join(SCREENSHOTS, `report-pdf-page-${i + 1}.png`)));
    const text = (await run('pdftotext', [pdf, '-'])).stdout.replace(/\s+/g, ' ');
    expect(text).toContain(asMinutes(expectedMtta));
    // Text comes out in reading order of the PDF's columns: each figure is checked on its own.
    expect(text).toContain(`${expectedMtta} s mean`);
    expect(text).toContain(asMinutes(expectedMttr));
    expect(text).toContain(`${expectedMttr} s mean`);
    expect(text).toContain(`${(expectedAvailability * 100).toFixed(2)} %`);
    expect(text).toContain(SEED[0].name);
    expect(text).toContain(`Incidents: MTTA ${asMinutes(expectedIncidentMtta)}, MTTR ${asMinutes(expectedIncidentMttr)} (1 resolved)`);
    // The incident's title wraps in its table cell: the tag may land after the row's other columns.
    expect(text).toMatch(new RegExp(`Checkout degraded .*${tag}`));
    // The token was consumed by the print page and nothing of it is left; a made-up one is refused.
    expect((await p.db.query(`SELECT count(*)::int AS n FROM console.report_render_tokens`)).rows[0].n).toBe(0);
    const forged = await fetch(`${p.url}/api/reports/render`, { method: 'POST', headers: { 'x-render-token': randomBytes(32).toString('base64url') } });
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as { code: string }).code).toBe('CONSOLE_RENDER_TOKEN_INVALID');
  });

  it('downloads a CSV that parses, one row per figure with the same MTTA and MTTR', async () => {
    const { page } = admin;
    await page.goto(reportPath);
    await page.getByTestId('executive-report').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-csv').click()]);
    const file = path.join(work, 'report.csv');
    await download.saveAs(file);
    const rows = parseCsv(readFileSync(file, 'utf8'));
    expect(rows[0]).toEqual(['section', 'figure', 'subject', 'value', 'unit', 'record']);
    expect(rows.every((r) => r.length === 6)).toBe(true);
    const figure = (name: string, section = 'response') => rows.find((r) => r[0] === section && r[1] === name)!;
    expect(Number(figure('MTTA')[3])).toBe(expectedMtta);
    expect(Number(figure('MTTR')[3])).toBe(expectedMttr);
    expect(Number(figure('MTTA', 'incidents')[3])).toBe(expectedIncidentMtta);
    expect(Number(figure('MTTR', 'incidents')[3])).toBe(expectedIncidentMttr);
    expect(figure('time to resolve', 'incidents').slice(2)).toEqual([INCIDENT.title, String(expectedIncidentMttr), 'seconds', expect.stringMatching(/^incident:[0-9a-f-]{36}$/)]);
    const perAlert = rows.filter((r) => r[0] === 'response' && r[1] === 'time to acknowledge');
    expect(perAlert.map((r) => Number(r[3])).sort((a, b) => a - b)).toEqual(SEED.filter((s) => s.ack !== null).map((s) => (s.ack! - s.start) * 60).sort((a, b) => a - b));
    expect(perAlert.every((r) => /^alert:[0-9a-f-]{36}$/.test(r[5]!))).toBe(true);
  });

  it('delivers a weekly schedule, signed, to a webhook sink when it falls due', async () => {
    const { page } = admin;
    await page.goto(reportPath);
    await page.getByTestId('executive-report').waitFor();
    const name = `Weekly ${tag}`;
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('Webhook URL').fill(sinkUrl);
    await page.getByLabel('Day', { exact: true }).selectOption('Monday');
    await page.getByRole('button', { name: 'Schedule weekly' }).click();
    const secret = (await page.getByTestId('schedule-secret').innerText()).trim();
    expect(secret).toMatch(/^whsec_/);
    await page.getByTestId(`schedule-${name}`).getByText('Not delivered yet.').waitFor();
    // Due now, as far as the schedule knows: its week is the seven days up to T.
    const { rowCount } = await p.db.query(`UPDATE console.report_schedules SET next_run_at = $1 WHERE name = $2`, [period.to, name]);
    expect(rowCount).toBe(1);
    const infra = (p.console as unknown as { infra: { scheduler: { trigger(name: string): Promise<string> } } }).infra;
    expect(await infra.scheduler.trigger(REPORT_DELIVERIES_TASK)).toBe('ok');
    await expect.poll(() => received.length, { timeout: 20_000 }).toBe(1);
    const [delivery] = received;
    expect(delivery!.headers['content-type']).toBe('application/json');
    expect(signatureValid(secret, delivery!.body, String(delivery!.headers['x-vigil-signature']), new Date())).toBe(true);
    expect(signatureValid(secret, delivery!.body.replace('"mttaSeconds"', '"mttaSecondz"'), String(delivery!.headers['x-vigil-signature']), new Date())).toBe(false);
    const body = JSON.parse(delivery!.body) as { report: { period: { from: string; to: string }; response: { mttaSeconds: number; mttrSeconds: number } } };
    expect(body.report.period).toEqual({ from: new Date(T - 7 * 86_400_000).toISOString(), to: period.to });
    expect(body.report.response).toMatchObject({ mttaSeconds: expectedMtta, mttrSeconds: expectedMttr });
    // The delivery is recorded, and the schedule moved on to its next Monday.
    const next = (await p.db.query(`SELECT next_run_at FROM console.report_schedules WHERE name = $1`, [name])).rows[0].next_run_at as Date;
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect(next.getUTCDay()).toBe(1);
    await page.reload();
    const shown = page.getByTestId(`schedule-${name}`).getByTestId('delivery');
    await shown.first().waitFor();
    expect(await shown.first().innerText()).toContain('delivered');
    await settled(page);
    await screen(page, 'report-schedule');
  });
});

describe('who may read and schedule reports', () => {
  it('needs a session for the report, admin for schedules, and a render token works once and only until it expires', async () => {
    const anonymous = await fetch(`${p.url}/api/reports/executive?from=${encodeURIComponent(period.from)}&to=${encodeURIComponent(period.to)}`);
    expect(anonymous.status).toBe(401);
    const reader = { email: `reader-${tag}@example.com`, password: strongPassword() };
    expect((await call(admin.context, 'POST', '/api/admin/users', { email: reader.email, role: 'read', password: reader.password })).status()).toBe(201);
    const s = await signInOverHttp(p, reader.email, reader.password);
    // A user an admin created replaces the initial password first.
    const changed = await fetch(`${p.url}/api/session/password`, { method: 'POST', headers: s.headers, body: JSON.stringify({ currentPassword: reader.password, newPassword: strongPassword() }) });
    expect(changed.status).toBe(204);
    const read = await fetch(`${p.url}/api/reports/executive?from=${encodeURIComponent(period.from)}&to=${encodeURIComponent(period.to)}`, { headers: s.headers });
    // The reader sees the same figures; creating a schedule is an admin's.
    expect(read.status).toBe(200);
    expect(((await read.json()) as { response: { mttaSeconds: number } }).response.mttaSeconds).toBe(expectedMtta);
    const schedule = await fetch(`${p.url}/api/reports/schedules`, { method: 'POST', headers: s.headers, body: JSON.stringify({ name: 'x', webhookUrl: sinkUrl, dayOfWeek: 1, hour: 8 }) });
    expect(schedule.status).toBe(403);
    expect(((await schedule.json()) as { code: string }).code).toBe('CONSOLE_FORBIDDEN');

    const render = (token: string) => fetch(`${p.url}/api/reports/render`, { method: 'POST', headers: { 'x-render-token': token } });
    const live = newRenderToken();
    await insertRenderToken(p.db, live.hash, 'default', { marker: tag }, new Date(Date.now() + 60_000));
    const first = await render(live.token);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ marker: tag });
    expect((await render(live.token)).status).toBe(401);
    const expired = newRenderToken();
    await insertRenderToken(p.db, expired.hash, 'default', { marker: tag }, new Date(Date.now() - 1_000));
    expect((await render(expired.token)).status).toBe(401);
  });
});

/** RFC 4180: quoted fields, doubled quotes, CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}
