// The overview's batched reads (/api/overview/*): a list with each item's detail in one request, read from the
// service with the console's key for the session (never the browser's credentials), and a service that cannot
// be reached answered as a problem, not a hang or a 500.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@vigil/service-kit/testing';
import { serviceKey } from '../domain/service-key.js';
import { signIn, startHarness, type Browser, type Harness } from './harness.js';

const PASSWORD = 'overview-test-passphrase-7';
let h: Harness;
let admin: Browser;

beforeAll(async () => {
  // Only error-ingest runs: the other services' URLs point at a closed port.
  h = await startHarness('conoverview', { CONSOLE_PERF_URL: 'http://127.0.0.1:9', CONSOLE_DR_URL: 'http://127.0.0.1:9', CONSOLE_ALERTING_URL: 'http://127.0.0.1:9' });
  const first = await signIn(h.app, 'admin@vigil.local', await h.adminPassword());
  expect((await first.call({ method: 'POST', url: '/api/session/password', payload: { currentPassword: await h.adminPassword(), newPassword: PASSWORD } })).statusCode).toBe(204);
  admin = await signIn(h.app, 'admin@vigil.local', PASSWORD);
}, 120_000);
afterAll(async () => {
  await h?.close();
});

interface ProjectIssues {
  project: { id: string; name: string };
  newIssues: { id: string; title: string }[];
  regressed: unknown[];
  truncated: boolean;
}

describe('overview reads', () => {
  it("lists every project with its issues new in the last 24 h, read with the session's service key", async () => {
    const quiet = (await admin.call({ method: 'POST', url: '/api/errors/v1/projects', payload: { name: 'overview-quiet' } })).json() as { id: string };
    const busy = (await admin.call({ method: 'POST', url: '/api/errors/v1/projects', payload: { name: 'overview-busy' } })).json() as { id: string };
    const key = (await admin.call({ method: 'POST', url: `/api/errors/v1/projects/${busy.id}/keys`, payload: { label: 'test' } })).json() as { publicKey: string };
    const marker = `OverviewError${randomBytes(4).toString('hex')}`;
    const stored = await fetch(`${h.errorsUrl}/api/${busy.id}/store/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-sentry-auth': `Sentry sentry_version=7, sentry_client=test/1.0, sentry_key=${key.publicKey}` },
      body: JSON.stringify({ event_id: randomBytes(16).toString('hex'), level: 'error', platform: 'node', exception: { values: [{ type: marker, value: 'it broke' }] } }),
    });
    expect(stored.status).toBe(200);

    let items: ProjectIssues[] = [];
    const before = h.upstreamSeen.length;
    await eventually(async () => {
      const res = await admin.call({ method: 'GET', url: '/api/overview/issues' });
      expect(res.statusCode, res.body).toBe(200);
      items = (res.json() as { items: ProjectIssues[] }).items;
      return items.find((p) => p.project.id === busy.id)?.newIssues.some((i) => i.title.includes(marker)) ?? false;
    }, 60_000, 250);
    expect(items.find((p) => p.project.id === quiet.id)).toMatchObject({ newIssues: [], regressed: [], truncated: false });

    // The service saw the console's key for (tenant, admin), and nothing the browser sent.
    const seen = h.upstreamSeen.slice(before).filter((s) => s.url.startsWith('/v1/projects'));
    expect(seen.some((s) => s.url.startsWith(`/v1/projects/${busy.id}/issues?`))).toBe(true);
    for (const s of seen) {
      expect(s.authorization).toBe(`Bearer ${serviceKey('dev-only-console-session-secret-change-me', 'default', 'admin')}`);
      expect(s.cookie).toBeUndefined();
    }
  });

  it('needs a session', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/overview/issues' });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('CONSOLE_SESSION_REQUIRED');
  });

  it('answers 502 with the service named when the service cannot be reached', async () => {
    for (const [path, service] of [
      ['/api/overview/alerts', 'alerting'],
      ['/api/overview/databases', 'perf'],
      ['/api/overview/policies', 'dr'],
    ] as const) {
      const res = await admin.call({ method: 'GET', url: path });
      expect(res.statusCode, res.body).toBe(502);
      expect(res.json()).toMatchObject({ code: 'CONSOLE_OVERVIEW_SOURCE_UNAVAILABLE' });
      expect(res.json().detail).toContain(`service ${service}`);
    }
  });
});
