// Ingest to issue: envelope and store endpoints, DSN auth, grouping, scrubbing and
// pseudonyms, regression, spikes, quotas, key rotation and the query API.
import { describe, expect } from 'vitest';
import { ErrorEventsProcessed, ErrorSpikeDetected, IssueOpened, IssueRegressed, type Envelope } from '@vigil/events';
import { subjectRef } from '@vigil/privacy';
import { eventually } from '@vigil/service-kit/testing';
import { createProject, envelopeOf, errorEvent, errorIngestTest, eventId, listen, sendEnvelope, sentryAuth, type Fixture } from './fixtures.js';

const it = errorIngestTest().extend<{ listener: Awaited<ReturnType<typeof listen>> }>({
  listener: [
    async ({ f }, use) => {
      const listener = await listen(f, [IssueOpened, IssueRegressed, ErrorSpikeDetected, ErrorEventsProcessed]);
      await use(listener);
      await listener.stop();
    },
    { scope: 'file' },
  ],
});

type Issue = { id: string; title: string; culprit: string | null; count: number; usersAffected: number; status: string; substatus: string; releases: string[]; environments: string[] };

async function issues(f: Fixture, project = f.project.id, query = ''): Promise<{ items: Issue[]; nextCursor: string | null }> {
  const res = await f.app.inject({ url: `/v1/projects/${project}/issues${query}`, headers: f.auth });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

async function issueWhere(f: Fixture, pred: (i: Issue) => boolean, project = f.project.id): Promise<Issue> {
  return eventually(async () => (await issues(f, project, '?limit=200')).items.find(pred), 30_000);
}

describe('ingest and processing', () => {
  it('accepts an envelope, answers the event id, and groups it into an issue with its context', async ({ f, listener }) => {
    const ev = errorEvent();
    const res = await sendEnvelope(f, ev);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ id: ev.event_id });
    const issue = await issueWhere(f, (i) => i.title.startsWith('TypeError'));
    expect(issue.title).toBe("TypeError: Cannot read properties of undefined (reading 'id')");
    expect(issue.culprit).toBe('src/orders/checkout.js in placeOrder');
    expect(issue.releases).toEqual(['shop@1.0.0']);
    expect(issue.environments).toEqual(['production']);
    expect(issue.usersAffected).toBe(1);
    const opened = await eventually(async () => listener.events.find((e) => e.type === 'IssueOpened' && (e.data as { issueId: string }).issueId === issue.id));
    expect(opened.data).toMatchObject({ projectId: f.project.id, title: issue.title, release: 'shop@1.0.0', count: 1 });
    expect((opened.data as { link: string }).link).toContain(`/v1/projects/${f.project.id}/issues/${issue.id}`);
    // The batch's summary (what the console's timeline counts, errors.events itself being a firehose).
    const summary = await eventually(async () => listener.events.find((e) => e.type === 'ErrorEventsProcessed' && (e.data as { projectId: string }).projectId === f.project.id));
    expect(summary.data).toMatchObject({ projectId: f.project.id, eventCount: 1, issueCount: 1 });
    const d = summary.data as { firstReceivedAt: string; lastReceivedAt: string };
    expect(Date.parse(d.lastReceivedAt)).toBeGreaterThanOrEqual(Date.parse(d.firstReceivedAt));
  });

  it('groups events that differ only in variable parts, and separates different messages', async ({ f }) => {
    const msg = (text: string) => ({ event_id: eventId(), level: 'warning', message: text });
    for (const text of [
      'Payment 4411 failed for order 9f1c2a3b-1111-4222-8333-444455556666 from 10.0.0.1',
      'Payment 17 failed for order 0d1c2a3b-1111-4222-8333-444455556666 from 192.168.1.20',
      'Inventory sync timed out',
    ]) {
      expect((await sendEnvelope(f, msg(text))).statusCode).toBe(200);
    }
    const payment = await issueWhere(f, (i) => i.title.startsWith('Payment') && i.count === 2);
    expect(payment.count).toBe(2);
    await issueWhere(f, (i) => i.title === 'Inventory sync timed out');
  });

  it('honours a custom fingerprint with {{ default }}', async ({ f }) => {
    const a = errorEvent({ fingerprint: ['{{ default }}', 'tenant-a'], exception: { values: [{ type: 'CustomError', value: 'x' }] } });
    const b = errorEvent({ fingerprint: ['{{ default }}', 'tenant-b'], exception: { values: [{ type: 'CustomError', value: 'x' }] } });
    await sendEnvelope(f, a);
    await sendEnvelope(f, b);
    await eventually(async () => (await issues(f, f.project.id, '?exceptionType=CustomError')).items.length === 2);
  });

  it('scrubs PII and stores user identifiers only as pseudonyms', async ({ f }) => {
    const ev = errorEvent({
      exception: { values: [{ type: 'ScrubError', value: 'login failed for bob@example.com' }] },
      user: { id: 'user-77', email: 'bob@example.com', username: 'bobby', ip_address: '203.0.113.9' },
      request: { url: 'https://shop.test/login', headers: { Authorization: 'Bearer abcdefghijkl', Cookie: 'sid=1', Accept: 'text/html' }, data: { password: 'hunter2', card: '4111 1111 1111 1111' } },
      extra: { api_key: 'sk_live_123', note: 'call 4111111111111111' },
    });
    await sendEnvelope(f, ev);
    const issue = await issueWhere(f, (i) => i.title.startsWith('ScrubError'));
    expect(issue.title).toBe('ScrubError: login failed for [email]');
    const detail = (await f.app.inject({ url: `/v1/projects/${f.project.id}/issues/${issue.id}`, headers: f.auth })).json();
    const stored = JSON.stringify(detail.latestEvent.payload);
    for (const secret of ['bob@example.com', 'hunter2', 'abcdefghijkl', 'sid=1', '4111 1111 1111 1111', '4111111111111111', 'sk_live_123', '203.0.113.9', 'user-77', 'bobby']) {
      expect(stored).not.toContain(secret);
    }
    expect(detail.latestEvent.payload.request.headers.Accept).toBe('text/html');
    expect(detail.latestEvent.userRef).toBe(subjectRef('dev-only-pseudonymisation-key-change-me', 'acme', 'user-77'));
    expect(detail.trend.minutes.reduce((a: number, p: { count: number }) => a + p.count, 0)).toBe(1);
    expect(detail.trend.hours).toHaveLength(24);
  });

  it('regresses a resolved issue seen again in a newer release, not in the same one', async ({ f, listener }) => {
    const ex = { values: [{ type: 'RegressionError', value: 'boom' }] };
    await sendEnvelope(f, errorEvent({ exception: ex, release: 'shop@2.0.0' }));
    const issue = await issueWhere(f, (i) => i.title === 'RegressionError: boom');
    const patched = await f.app.inject({ method: 'PATCH', url: `/v1/projects/${f.project.id}/issues/${issue.id}`, headers: f.auth, payload: { status: 'resolved' } });
    expect(patched.json()).toMatchObject({ status: 'resolved', resolvedInRelease: 'shop@2.0.0' });
    await sendEnvelope(f, errorEvent({ exception: ex, release: 'shop@2.0.0' }));
    await issueWhere(f, (i) => i.id === issue.id && i.count === 2);
    expect((await issues(f, f.project.id, '?status=resolved')).items.map((i) => i.id)).toContain(issue.id);
    await sendEnvelope(f, errorEvent({ exception: ex, release: 'shop@2.1.0' }));
    const again = await issueWhere(f, (i) => i.id === issue.id && i.count === 3);
    expect(again).toMatchObject({ status: 'unresolved', substatus: 'regressed' });
    const ev = await eventually(async () => listener.events.find((e) => e.type === 'IssueRegressed' && (e.data as { issueId: string }).issueId === issue.id));
    expect(ev.data).toMatchObject({ resolvedInRelease: 'shop@2.0.0', release: 'shop@2.1.0', count: 3 });
  });

  it('reports a spike when an issue jumps far above its baseline', async ({ f, listener }) => {
    const ex = { values: [{ type: 'SpikeError', value: 'flood' }] };
    await Promise.all(Array.from({ length: 12 }, () => sendEnvelope(f, errorEvent({ exception: ex }))));
    const issue = await issueWhere(f, (i) => i.title === 'SpikeError: flood' && i.count === 12);
    const spike = await eventually(async () => listener.events.find((e: Envelope) => e.type === 'ErrorSpikeDetected' && (e.data as { issueId: string }).issueId === issue.id));
    expect((spike.data as { zScore: number }).zScore).toBeGreaterThanOrEqual(4);
  });

  it('stores events whose strings carry NUL or lone surrogates (which PostgreSQL refuses) instead of failing their batch', async ({ f }) => {
    const ev = errorEvent({ release: 'shop@9.0.0\u0000', exception: { values: [{ type: 'NulError', value: 'bad \u0000 and \ud800 here' }] }, tags: { t: 'x\u0000' }, extra: { s: '\udc00' } });
    const res = await sendEnvelope(f, ev);
    expect(res.statusCode, res.body).toBe(200);
    const issue = await issueWhere(f, (i) => i.title.startsWith('NulError'));
    expect(issue.title).toBe('NulError: bad \ufffd and \ufffd here');
    expect(issue.releases).toEqual(['shop@9.0.0\ufffd']);
  });

  it('accepts the legacy store endpoint with the key in the query string, gzip-compressed', async ({ f }) => {
    const { gzipSync } = await import('node:zlib');
    const ev = errorEvent({ exception: { values: [{ type: 'StoreError', value: 'legacy' }] } });
    const res = await f.app.inject({
      method: 'POST',
      url: `/api/${f.project.id}/store/?sentry_key=${f.project.publicKey}`,
      headers: { 'content-type': 'text/plain', 'content-encoding': 'gzip' },
      payload: gzipSync(JSON.stringify(ev)),
    });
    expect(res.statusCode, res.body).toBe(200);
    await issueWhere(f, (i) => i.title === 'StoreError: legacy');
  });

  it('accepts newline-delimited items without length, skips unknown items and records client reports', async ({ f }) => {
    const ev = errorEvent({ exception: { values: [{ type: 'FramingError', value: 'no length' }] } });
    const report = JSON.stringify({ timestamp: Date.now() / 1000, discarded_events: [{ reason: 'queue_overflow', category: 'error', quantity: 7 }] });
    const body = envelopeOf(ev, {
      withLength: false,
      dsn: `http://${f.project.publicKey}@localhost/${f.project.id}`,
      extraItems: ['{"type":"mystery_item"}\n{"whatever":true}\n', `{"type":"client_report"}\n${report}\n`],
    });
    const res = await f.app.inject({ method: 'POST', url: f.project.dsnPath, payload: body, headers: { 'content-type': 'application/octet-stream' } });
    expect(res.statusCode, res.body).toBe(200);
    await issueWhere(f, (i) => i.title === 'FramingError: no length');
    const reports = (await f.app.inject({ url: `/v1/projects/${f.project.id}/client-reports`, headers: f.auth })).json().items;
    expect(reports).toEqual([{ projectId: f.project.id, reason: 'queue_overflow', category: 'error', quantity: 7 }]);
  });

  it('refuses missing, unknown, disagreeing and revoked keys with 403, and a rotated key works at once', async ({ f }) => {
    const ev = () => envelopeOf(errorEvent());
    const post = (headers: Record<string, string>, url = f.project.dsnPath, body = ev()) => f.app.inject({ method: 'POST', url, headers, payload: body });
    const missing = await post({});
    expect(missing.statusCode).toBe(403);
    expect(missing.headers['x-sentry-error']).toMatch(/missing DSN key/);
    expect((await post(sentryAuth('0'.repeat(32)))).statusCode).toBe(403);
    const other = await createProject(f.app, f.auth, 'other');
    expect((await post(sentryAuth(other.publicKey))).statusCode).toBe(403);
    const disagree = await post(sentryAuth(f.project.publicKey), `${f.project.dsnPath}?sentry_key=${other.publicKey}`);
    expect(disagree.statusCode).toBe(403);
    expect(disagree.json().detail).toMatch(/do not agree/);

    const rotated = await f.app.inject({ method: 'POST', url: `/v1/projects/${other.id}/keys/${other.keyId}/rotate`, headers: f.auth });
    expect(rotated.statusCode).toBe(201);
    expect(rotated.json().dsn).toMatch(new RegExp(`^http://${rotated.json().publicKey}@127\\.0\\.0\\.1:4104/${other.id}$`));
    expect((await post(sentryAuth(other.publicKey), other.dsnPath)).statusCode).toBe(403);
    expect((await post(sentryAuth(rotated.json().publicKey), other.dsnPath)).statusCode).toBe(200);
    const revoked = await f.app.inject({ method: 'DELETE', url: `/v1/projects/${other.id}/keys/${rotated.json().id}`, headers: f.auth });
    expect(revoked.json().revokedAt).not.toBeNull();
    expect((await post(sentryAuth(rotated.json().publicKey), other.dsnPath)).statusCode).toBe(403);
  });

  it('answers 429 with Retry-After and X-Sentry-Rate-Limits once a project is over quota', async ({ f }) => {
    const limited = await createProject(f.app, f.auth, 'limited', { rateLimitPerMinute: 1 });
    const first = await sendEnvelope(f, errorEvent(), { project: limited });
    expect(first.statusCode).toBe(200);
    const second = await sendEnvelope(f, errorEvent(), { project: limited });
    expect(second.statusCode).toBe(429);
    expect(Number(second.headers['retry-after'])).toBeGreaterThan(0);
    expect(second.headers['x-sentry-rate-limits']).toMatch(/^\d+::project$/);
  });

  it('keeps every API tenant-scoped', async ({ f }) => {
    const otherTenant = { authorization: `Bearer ${await f.env.apiKey('globex', 'admin')}` };
    expect((await f.app.inject({ url: `/v1/projects/${f.project.id}`, headers: otherTenant })).statusCode).toBe(404);
    expect((await f.app.inject({ url: `/v1/projects/${f.project.id}/issues`, headers: otherTenant })).statusCode).toBe(404);
    expect((await f.app.inject({ url: '/v1/projects', headers: otherTenant })).json().items).toEqual([]);
  });

  it('pages through an issue’s events and filters and sorts issues', async ({ f }) => {
    const ex = { values: [{ type: 'PagedError', value: 'page me' }] };
    for (let n = 0; n < 5; n++) await sendEnvelope(f, errorEvent({ exception: ex, environment: 'staging', tags: { n: String(n), region: 'eu' } }));
    const issue = await issueWhere(f, (i) => i.title === 'PagedError: page me' && i.count === 5);
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const page: { items: { eventId: string }[]; nextCursor: string | null } = (
        await f.app.inject({ url: `/v1/projects/${f.project.id}/issues/${issue.id}/events?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, headers: f.auth })
      ).json();
      for (const e of page.items) seen.add(e.eventId);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.size).toBe(5);
    // The issue list pages by keyset cursor in every sort: one issue a page gives the whole list, once each.
    for (const sort of ['last_seen', 'first_seen', 'count', 'users']) {
      const whole = (await issues(f, f.project.id, `?sort=${sort}&limit=200`)).items.map((i) => i.id);
      const paged: string[] = [];
      let next: string | null = null;
      do {
        const page = await issues(f, f.project.id, `?sort=${sort}&limit=1${next ? `&cursor=${encodeURIComponent(next)}` : ''}`);
        paged.push(...page.items.map((i) => i.id));
        next = page.nextCursor;
      } while (next);
      expect(whole.length).toBeGreaterThan(1);
      expect(paged).toEqual(whole);
    }
    const byCount = await issues(f, f.project.id, '?sort=count&limit=1');
    const wrongSort = await f.app.inject({ url: `/v1/projects/${f.project.id}/issues?sort=last_seen&cursor=${byCount.nextCursor}`, headers: f.auth });
    expect(wrongSort.statusCode).toBe(400);
    expect(wrongSort.json()).toMatchObject({ code: 'CURSOR_INVALID' });
    const staging = await issues(f, f.project.id, '?environment=staging&sort=count');
    expect(staging.items.map((i) => i.id)).toEqual([issue.id]);
    expect((await issues(f, f.project.id, '?tag=n:3')).items.map((i) => i.id)).toEqual([issue.id]);
    expect((await issues(f, f.project.id, '?tag=n:99')).items).toEqual([]);
    const detail = (await f.app.inject({ url: `/v1/projects/${f.project.id}/issues/${issue.id}`, headers: f.auth })).json();
    expect(detail.tags).toContainEqual({ key: 'region', values: [{ value: 'eu', count: 5 }] });
    expect(detail.tags.find((t: { key: string }) => t.key === 'n').values).toHaveLength(5);
    const bad = await f.app.inject({ url: `/v1/projects/${f.project.id}/issues?sort=nonsense`, headers: f.auth });
    expect(bad.statusCode).toBe(400);
  });
});
