// Issue 16 §5 scenarios 2, 3 and 4 (and 7 for the privacy screens) in real Chromium against the real
// services: an access request fans out to the real participant services and the detail page fills its
// timeline live from the stream; its exports download and parse with strict parsers; a breach's clock
// and missing Art. 33(3) fields; the audit badge before and after a row of the chain is tampered with.
import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@vigil/service-kit/testing';
import { captureStream, launchBrowser, markDocument, newUserPage, screen, screensOfFailure } from './fixtures/browser.js';
import { settled } from './fixtures/console-ui.js';
import { adminOverHttp, startPlatform, type Platform } from './fixtures/platform.js';

let p: Platform;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let serviceKey: string;
const SUBJECT = `ada-${randomBytes(4).toString('hex')}@example.com`;

/** A service's own API with a service key: what the subject-facing intake and the other systems call. */
async function api<T = unknown>(service: 'gdpr' | 'errors', method: string, url: string, body?: unknown): Promise<T> {
  const headers = { authorization: `Bearer ${serviceKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
  const res = await fetch(`${p.services[service].url}${url}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${url} ${res.status}: ${await res.text()}`);
  return (await res.json().catch(() => null)) as T;
}
const gdpr = <T = unknown>(method: string, url: string, body?: unknown) => api<T>('gdpr', method, url, body);

/** One error event about the subject (a Sentry store call as an SDK makes it), so error-ingest holds data to export. */
async function errorAbout(email: string): Promise<void> {
  const project = await api<{ id: string }>('errors', 'POST', '/v1/projects', { name: `shop-${randomBytes(3).toString('hex')}` });
  const key = await api<{ publicKey: string }>('errors', 'POST', `/v1/projects/${project.id}/keys`, { label: 'shop' });
  const event = {
    event_id: randomBytes(16).toString('hex'),
    timestamp: Date.now() / 1000,
    platform: 'node',
    level: 'error',
    user: { id: 'u-ada', email },
    exception: { values: [{ type: 'TypeError', value: 'cart 7 vanished' }] },
  };
  const res = await fetch(`${p.services.errors.url}/api/${project.id}/store/?sentry_key=${key.publicKey}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });
  if (!res.ok) throw new Error(`store ${res.status}: ${await res.text()}`);
  await eventually(async () => {
    const issues = await api<{ items: unknown[] }>('errors', 'GET', `/v1/projects/${project.id}/issues`);
    return issues.items.length === 1;
  }, 30_000);
}

/** Clicks a download link and returns the file the browser saved. */
async function download(name: string): Promise<{ file: string; text: string }> {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).click()]);
  const path = await dl.path();
  return { file: dl.suggestedFilename(), text: await readFile(path, 'utf8') };
}

beforeAll(async () => {
  p = await startPlatform('conprivacy');
  serviceKey = await p.env.apiKey(p.admin.tenant, 'admin');
  browser = await launchBrowser();
  const admin = await adminOverHttp(p, `Privacy-${randomBytes(6).toString('hex')}-Password`);
  // No polling: whatever changes on a screen while it is open arrives through the live stream.
  const prefs = await fetch(`${p.url}/api/preferences`, { method: 'PUT', headers: admin.headers, body: JSON.stringify({ theme: 'auto', timezone: 'utc', refreshSeconds: 0 }) });
  if (!prefs.ok) throw new Error(`preferences ${prefs.status}: ${await prefs.text()}`);
  ({ context, page } = await newUserPage(browser, p.url));
  await context.addCookies([{ name: 'vigil_session', value: admin.token, url: p.url, httpOnly: true, sameSite: 'Strict' }]);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await p?.close();
});

describe('privacy', () => {
  let requestId: string;

  it('2: an access request, once verified, fills its timeline live as receipts arrive, and its three exports download and parse', async (t) => {
    t.onTestFailed(() => screensOfFailure(browser, 'privacy-request'));
    for (const [purpose, granted] of [['analytics', true], ['newsletter', true], ['newsletter', false]] as const) {
      await gdpr('POST', '/v1/consents', { subjectId: SUBJECT, purpose, granted, noticeVersion: purpose === 'analytics' ? 'v3' : 'v2', channel: 'web', source: 'banner' });
    }
    await errorAbout(SUBJECT);
    // Every participant service registers at startup; the fan-out goes to those that handle exports.
    await eventually(async () => (await gdpr<{ items: { handles: string[] }[] }>('GET', '/v1/data-holders')).items.filter((h) => h.handles.includes('export')).length >= 4, 30_000);
    const filed = await gdpr<{ request: { id: string }; verificationToken: string }>('POST', '/v1/subject-requests', { kind: 'access', identifiers: [{ type: 'email', value: SUBJECT }] });
    requestId = filed.request.id;

    await page.goto('/privacy?tab=requests');
    await settled(page);
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: requestId.slice(0, 8) }) });
    await expect.poll(() => row.innerText()).toContain('Awaiting verification');
    expect(await row.innerText()).toContain('Not verified');
    // One month to the deadline: about 30 days left, well over a quarter, so not red.
    const badge = row.getByTestId('days-left');
    expect(await badge.innerText()).toMatch(/^(2[89]|3[01]) d left$/);
    expect(await badge.getAttribute('class')).toContain('ok');
    await screen(page, 'privacy-requests-new');

    // The filters live in the URL: a link reproduces the view.
    await page.getByLabel('Status').selectOption('completed');
    await expect.poll(() => page.url()).toContain('state=completed');
    await expect.poll(() => row.count()).toBe(0);
    await page.goto('/privacy?tab=requests&state=unverified&kind=access');
    await settled(page);
    expect(await page.getByLabel('Type').inputValue()).toBe('access');
    await row.waitFor();

    await row.getByRole('link', { name: requestId.slice(0, 8) }).click();
    await settled(page);
    const timeline = page.getByRole('list', { name: 'Request timeline' });
    await expect.poll(() => timeline.innerText()).toContain('Awaiting identity verification');
    const doc = await markDocument(page);
    const stream = await captureStream(page);

    // The subject confirms with the token (their link calls the intake API); the console only watches.
    await gdpr('POST', `/v1/subject-requests/${requestId}/verify`, { token: filed.verificationToken });
    const detail = await gdpr<{ expectedServices: string[] }>('GET', `/v1/subject-requests/${requestId}`);
    expect(detail.expectedServices.length).toBeGreaterThanOrEqual(4);
    await expect.poll(() => page.getByTestId('request-state').innerText(), { timeout: 30_000 }).toBe('Completed');
    for (const service of detail.expectedServices) {
      expect(await page.getByTestId(`receipt-${service}`).innerText()).toContain('answered');
    }
    expect(await page.getByTestId('receipt-progress').innerText()).toBe(`${detail.expectedServices.length} of ${detail.expectedServices.length} receipts`);
    // gdpr's own receipt says what it exported: the three consent proofs.
    expect(await page.getByTestId('receipt-gdpr').innerText()).toMatch(/gdpr\.consent_events\s*3 rows exported/);
    // error-ingest's says it exported the subject's one error event.
    expect(await page.getByTestId('receipt-error-ingest').innerText()).toMatch(/errors\.events\s*1 row exported/);
    expect(await timeline.innerText()).toContain(`Fanned out to ${detail.expectedServices.length} data holders`);
    // Filled by the stream (polling is off for this user), not by a reload: the receipts went through it.
    expect(await doc.stillSameDocument()).toBe(true);
    const seen = await stream.text();
    for (const service of detail.expectedServices) expect(seen).toMatch(new RegExp(`"type":"SubjectRequestReceipt".*"requestId":"${requestId}".*"service":"${service}"`));
    await screen(page, 'privacy-request-detail');

    const json = await download('Download JSON');
    expect(json.file).toMatch(/\.json$/);
    const doc1 = JSON.parse(json.text) as { requestId: string; parts: { service: string; data: unknown }[] };
    expect(doc1.requestId).toBe(requestId);
    expect(doc1.parts.map((x) => x.service)).toEqual(expect.arrayContaining(detail.expectedServices));
    expect(JSON.stringify(doc1.parts.find((x) => x.service === 'gdpr')!.data)).toContain('analytics');
    expect(JSON.stringify(doc1.parts.find((x) => x.service === 'error-ingest')!.data)).toContain('cart 7 vanished');

    const csv = await download('Download CSV');
    expect(csv.file).toMatch(/\.csv$/);
    const rows = parseCsv(csv.text, { relax_column_count: false, relax_quotes: false, skip_empty_lines: false }) as string[][];
    expect(rows[0]).toEqual(['service', 'path', 'type', 'value']);
    expect(rows.some((r) => r[0] === 'gdpr' && r[3] === 'analytics')).toBe(true);

    const xml = await download('Download XML');
    expect(xml.file).toMatch(/\.xml$/);
    expect(XMLValidator.validate(xml.text)).toBe(true);
    const tree = new XMLParser({ ignoreAttributes: false }).parse(xml.text) as Record<string, unknown>;
    expect(Object.keys(tree)).toContain('export');
    expect(xml.text).toContain('analytics');
  });

  it('queue: open requests can be refused in bulk on an Art. 12 ground, closed ones cannot be selected', async (t) => {
    t.onTestFailed(() => screensOfFailure(browser, 'privacy-bulk-refuse'));
    const filed = await Promise.all(
      ['spam-1', 'spam-2'].map((n) => gdpr<{ request: { id: string } }>('POST', '/v1/subject-requests', { kind: 'erasure', identifiers: [{ type: 'email', value: `${n}-${SUBJECT}` }] })),
    );
    await page.goto('/privacy?tab=requests&state=unverified');
    await settled(page);
    for (const f of filed) await page.getByLabel(`Select request ${f.request.id.slice(0, 8)}`).check();
    await page.getByRole('button', { name: 'Refuse 2 selected' }).click();
    const dialog = page.getByRole('dialog', { name: 'Refuse 2 requests' });
    // Both were never verified, so the identity ground applies.
    await dialog.getByLabel('Ground').selectOption('identity');
    await dialog.getByLabel('Reasons given to the subjects').fill('No reply to the verification e-mail within 14 days.');
    await dialog.getByRole('button', { name: 'Refuse' }).click();
    await dialog.waitFor({ state: 'hidden' });
    for (const f of filed) {
      await eventually(async () => (await gdpr<{ state: string }>('GET', `/v1/subject-requests/${f.request.id}`)).state === 'refused', 10_000);
      const r = await gdpr<{ refusalReason: string }>('GET', `/v1/subject-requests/${f.request.id}`);
      expect(r.refusalReason).toBe('Identity could not be established (Art. 12(6), Art. 11(2)): No reply to the verification e-mail within 14 days.');
    }
    await page.goto('/privacy?tab=requests&state=refused');
    await settled(page);
    const box = page.getByLabel(`Select request ${filed[0]!.request.id.slice(0, 8)}`);
    await box.waitFor();
    expect(await box.isDisabled()).toBe(true);
    // The completed access request is not selectable either.
    await page.goto('/privacy?tab=requests&state=completed');
    await settled(page);
    expect(await page.getByLabel(`Select request ${requestId.slice(0, 8)}`).isDisabled()).toBe(true);
  });

  it('3: a breach recorded now shows its 72-hour countdown and the Art. 33(3) fields still missing', async (t) => {
    t.onTestFailed(() => screensOfFailure(browser, 'privacy-breach'));
    await page.goto('/privacy?tab=breaches');
    await settled(page);
    await page.getByRole('link', { name: 'Record a breach' }).click();
    const aware = new Date(Date.now() - 5 * 3_600_000);
    await page.getByLabel('Title').fill('Support mailbox forwarded to a wrong address');
    // The browser runs in UTC (the fixture's context): datetime-local takes UTC wall time.
    await page.getByLabel('Became aware at').fill(aware.toISOString().slice(0, 16));
    await page.getByRole('button', { name: 'Record breach' }).click();

    const clock = page.getByTestId('breach-clock');
    // 72 h from awareness, 5 h (and the seconds of this test) ago: 66 h 5x min left, counting down each second.
    await expect.poll(() => clock.innerText()).toMatch(/66 h 5\d min \d\d s left/);
    const first = await clock.locator('.clock-value').innerText();
    await expect.poll(() => clock.locator('.clock-value').innerText(), { timeout: 5_000 }).not.toBe(first);

    const missing = page.getByTestId('missing-fields');
    expect(await missing.innerText()).toContain('7 of 7 still missing');
    for (const label of ['Nature of the breach', 'Categories of personal data', 'DPO or other contact point', 'Likely consequences', 'Measures taken or proposed']) {
      expect(await missing.innerText()).toContain(label);
    }
    expect(await page.getByTestId('authority-status').innerText()).toContain('Not notified yet');

    await page.getByLabel(/^Nature of the breach/).fill('Auto-forward rule sent 140 support e-mails to a former contractor');
    await page.getByLabel(/^DPO or other contact point/).fill('dpo@vigil.example');
    await page.getByLabel(/^Categories of personal data/).fill('contact, support history');
    await page.getByRole('button', { name: 'Save information' }).click();
    await expect.poll(() => missing.innerText()).toContain('4 of 7 still missing');
    expect(await missing.innerText()).not.toContain('Nature of the breach');
    expect(await missing.innerText()).toContain('Approximate number of data subjects');
    await screen(page, 'privacy-breach');

    // Notifying the authority stops the clock and shows when.
    await page.getByRole('button', { name: 'Mark notified now' }).click();
    await expect.poll(() => page.getByTestId('authority-status').innerText()).toContain('Notified');
    expect(await clock.innerText()).toContain('Notified');
    expect(await page.getByRole('link', { name: /Support mailbox/ }).innerText()).toContain('notified');
  });

  it('4: the audit badge reads verified, and names the first bad entry once a row of the chain is tampered with', async (t) => {
    t.onTestFailed(() => screensOfFailure(browser, 'privacy-audit'));
    const checkpoint = await gdpr<{ seq: number }>('POST', '/v1/audit/checkpoints');
    await page.goto('/privacy?tab=audit');
    await settled(page);
    const badge = page.getByTestId('chain-badge');
    const verified = await gdpr<{ entries: number; valid: boolean }>('GET', '/v1/audit/verify');
    expect(verified.valid).toBe(true);
    expect(verified.entries).toBeGreaterThanOrEqual(checkpoint.seq);
    await expect.poll(() => badge.innerText()).toMatch(new RegExp(`Chain verified up to entry (\\d+), checkpoint signed at`));
    const n = Number(/up to entry (\d+)/.exec(await badge.innerText())![1]);
    expect(n).toBeGreaterThanOrEqual(checkpoint.seq);
    expect(await page.getByTestId('audit-3').count()).toBe(1);
    await screen(page, 'privacy-audit');

    // Filters live in the URL: only the three consent changes of this subject are on gdpr.consent.
    await page.getByLabel('Topic').selectOption('gdpr.consent');
    await expect.poll(() => page.url()).toContain('topic=gdpr.consent');
    const rows = page.locator('table.audit tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    expect((await rows.allInnerTexts()).every((r) => r.includes('gdpr.consent'))).toBe(true);
    await page.getByLabel('Subject identifier').fill(SUBJECT);
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => page.url()).toContain('subject=');
    await expect.poll(() => rows.count()).toBe(3);
    await page.getByLabel('Subject identifier').fill(`nobody-${SUBJECT}`);
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('No entry matches.').waitFor();
    await page.goto('/privacy?tab=audit');
    await settled(page);

    // An attacker with database access rewrites entry 3 (triggers off, as the gdpr service tests do).
    const c = await p.db.connect();
    try {
      await c.query('BEGIN');
      await c.query('SET LOCAL session_replication_role = replica');
      const { rowCount } = await c.query(`UPDATE gdpr.audit_log SET content = content || ' ' WHERE tenant_id = $1 AND seq = 3`, [p.admin.tenant]);
      expect(rowCount).toBe(1);
      await c.query('COMMIT');
    } finally {
      c.release();
    }
    await page.getByRole('button', { name: 'Verify again' }).click();
    await expect.poll(() => badge.innerText()).toContain('Chain broken at entry 3');
    expect(await badge.getAttribute('class')).toContain('broken');
    expect(await page.getByTestId('audit-3').getAttribute('class')).toContain('broken-row');
    await screen(page, 'privacy-audit-broken');
  });

  it('queue: a request near its deadline is red, and an extension (with its reason) shows on the queue and the timeline', async (t) => {
    t.onTestFailed(() => screensOfFailure(browser, 'privacy-queue-deadlines'));
    const late = await gdpr<{ request: { id: string } }>('POST', '/v1/subject-requests', { kind: 'portability', identifiers: [{ type: 'email', value: `late-${SUBJECT}` }] });
    const ext = await gdpr<{ request: { id: string } }>('POST', '/v1/subject-requests', { kind: 'erasure', identifiers: [{ type: 'email', value: `ext-${SUBJECT}` }] });
    // The clock: received 26 days ago, so about 5 of its ~31 days are left (under a quarter).
    await p.db.query(`UPDATE gdpr.subject_requests SET received_at = received_at - interval '26 days', deadline = deadline - interval '26 days' WHERE id = $1`, [late.request.id]);

    await page.goto(`/privacy/requests/${ext.request.id}`);
    await settled(page);
    await page.getByRole('button', { name: 'Extend' }).click();
    const dialog = page.getByRole('dialog', { name: 'Extend by two months' });
    await dialog.getByLabel('Reason').fill('Erasure spans three archived ticket systems; the subject was told on day 3.');
    await dialog.getByRole('button', { name: 'Extend' }).click();
    await expect.poll(() => page.getByRole('list', { name: 'Request timeline' }).innerText()).toContain('Deadline extended by two months');
    expect(await page.getByRole('list', { name: 'Request timeline' }).innerText()).toContain('three archived ticket systems');
    expect(await page.getByRole('button', { name: 'Extend' }).isDisabled()).toBe(true);

    await page.goto('/privacy?tab=requests');
    await settled(page);
    const lateRow = page.getByRole('row').filter({ has: page.getByRole('link', { name: late.request.id.slice(0, 8) }) });
    const lateBadge = lateRow.getByTestId('days-left');
    expect(await lateBadge.innerText()).toMatch(/^[45] d left$/);
    expect(await lateBadge.getAttribute('class')).toContain('critical');
    const extRow = page.getByRole('row').filter({ has: page.getByRole('link', { name: ext.request.id.slice(0, 8) }) });
    expect(await extRow.innerText()).toContain('extended +2 mo');
    expect(await extRow.getByTestId('days-left').getAttribute('class')).toContain('ok');
    // Open requests first, soonest deadline first: the late one leads.
    expect(await page.getByRole('row').nth(1).innerText()).toContain(late.request.id.slice(0, 8));
    await page.getByLabel('Due').selectOption('urgent');
    await expect.poll(() => page.url()).toContain('due=urgent');
    await expect.poll(() => extRow.count()).toBe(0);
    expect(await lateRow.count()).toBe(1);
    await page.goto('/privacy?tab=requests');
    await settled(page);
    await screen(page, 'privacy-requests');
  });

  it('7: every privacy screen passes axe in light and dark theme', async (t) => {
    t.onTestFailed(() => screensOfFailure(browser, 'privacy-screens'));
    await gdpr('PUT', '/v1/processing-records/support.helpdesk', {
      controller: { name: 'Vigil Ltd', contact: 'privacy@vigil.example', dpo: 'dpo@vigil.example' },
      purposes: ['customer support'],
      dataSubjectCategories: ['customers'],
      dataCategories: ['contact', 'support history'],
      recipients: ['helpdesk provider'],
      thirdCountryTransfers: [{ country: 'US', safeguards: 'SCCs 2021/914' }],
      retention: '24 months after the last ticket',
      securityMeasures: 'SSO with MFA, encryption at rest, access reviews',
    });
    await page.goto(`/privacy?tab=consent&subject=${encodeURIComponent(SUBJECT)}`);
    await settled(page);
    const ledger = page.getByRole('table');
    await expect.poll(() => ledger.innerText()).toContain('newsletter');
    expect(await ledger.getByRole('row').count()).toBe(4);
    expect(await ledger.innerText()).toContain('v3');
    await screen(page, 'privacy-consent');

    await page.goto('/privacy?tab=records');
    await settled(page);
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.getByLabel(/^Recipients/).fill('helpdesk provider\ne-mail provider');
    await page.getByRole('button', { name: 'Save record' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Record support.helpdesk' }).innerText()).toContain('helpdesk provider, e-mail provider');
    await screen(page, 'privacy-records');

    await page.goto('/privacy?tab=report');
    await settled(page);
    expect(await page.getByRole('region', { name: 'Audit chain' }).innerText()).toContain('First broken entry\n3');
    expect(await page.getByRole('region', { name: 'Breaches' }).innerText()).toContain('1 (1 within 72 h)');
    await screen(page, 'privacy-report');

    // The overview tile's older link form (?request=) opens the request's page.
    await page.goto(`/privacy?tab=requests&request=${requestId}`);
    await page.waitForURL(`**/privacy/requests/${requestId}`);
    await settled(page);
    expect(await page.getByTestId('request-state').innerText()).toBe('Completed');

    // A breach 62 hours old: its clock is in its last quarter, red.
    const urgent = await gdpr<{ id: string }>('POST', '/v1/breaches', {
      title: 'Backup bucket readable without credentials',
      awareAt: new Date(Date.now() - 62 * 3_600_000).toISOString(),
      risk: 'high',
      nature: 'Object storage ACL allowed anonymous reads of nightly exports',
      dataCategories: ['contact', 'billing address'],
      approxSubjects: 18_400,
      dpoContact: 'dpo@vigil.example',
    });
    await page.goto(`/privacy?tab=breaches&breach=${urgent.id}`);
    await settled(page);
    await expect.poll(() => page.getByTestId('breach-clock').innerText()).toMatch(/9 h 5\d min \d\d s left/);
    expect(await page.getByTestId('breach-clock').getAttribute('class')).toContain('critical');
    expect(await page.getByTestId('subjects-status').innerText()).toContain('Decision needed: high risk');
    await screen(page, 'privacy-breach-urgent');

    await page.emulateMedia({ colorScheme: 'dark' });
    for (const [path, name] of [
      ['/privacy?tab=requests', 'privacy-requests-dark'],
      [`/privacy/requests/${requestId}`, 'privacy-request-detail-dark'],
      [`/privacy?tab=breaches&breach=${urgent.id}`, 'privacy-breach-dark'],
      ['/privacy?tab=audit', 'privacy-audit-dark'],
      [`/privacy?tab=consent&subject=${encodeURIComponent(SUBJECT)}`, 'privacy-consent-dark'],
      ['/privacy?tab=records', 'privacy-records-dark'],
      ['/privacy?tab=report', 'privacy-report-dark'],
    ] as const) {
      await page.goto(path);
      await settled(page);
      await screen(page, name);
    }
    await page.emulateMedia({ colorScheme: 'light' });
  });
});
