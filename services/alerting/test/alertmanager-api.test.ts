// The Alertmanager v2 API over Vigil's model, through the app: shapes, filters, silences
// (Alertmanager's update rules), groups, receivers, status, probes, auth and tenant scope.
import { readFileSync } from 'node:fs';
import { describe, expect } from 'vitest';
import { parse } from 'yaml';
import { alertingTest, api, type Harness } from './fixtures.js';

const it = alertingTest('amapi', {
  setup: async (h) => {
    await api(h, 'PUT', '/v1/receivers/hook', { kind: 'webhook', url: h.sink.url('/hook'), secret: 'a-very-secret-hmac-key' });
    await api(h, 'PUT', '/v1/receivers/db-slack', { kind: 'slack', webhookUrl: h.sink.url('/slack/T000/B000/XXXX'), channel: '#db' });
    const routing = await api(h, 'PUT', '/v1/routing', {
      route: { receiver: 'hook', group_by: ['alertname'], group_wait: '0s', group_interval: '1s', repeat_interval: '1h', routes: [{ matchers: ['team="db"'], receiver: 'db-slack' }] },
      inhibit_rules: [{ source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['alertname'] }],
    });
    if (routing.statusCode !== 204) throw new Error(routing.body);
  },
});

type Gettable = { labels: Record<string, string>; fingerprint: string; receivers: { name: string }[]; status: { state: string; silencedBy: string[]; inhibitedBy: string[] }; startsAt: string; endsAt: string; updatedAt: string; generatorURL?: string };
const get = async (h: Harness, url: string) => {
  const res = await api(h, 'GET', url);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const names = (list: Gettable[]) => list.map((a) => `${a.labels.alertname}/${a.labels.instance ?? ''}`).sort();

describe('Alertmanager v2 API', () => {
  it('lists open alerts with receivers and status, and filters them as Alertmanager does', { timeout: 180_000 }, async ({ h }) => {
    const post = await api(h, 'POST', '/api/v2/alerts', [
      { labels: { alertname: 'Disk', severity: 'critical', instance: 'a' }, annotations: { summary: 'full' }, generatorURL: 'http://prom/graph?g0' },
      { labels: { alertname: 'Disk', severity: 'warning', instance: 'b' } },
      { labels: { alertname: 'Lag', team: 'db', instance: 'c' }, startsAt: '0001-01-01T00:00:00.000Z', endsAt: '0001-01-01T00:00:00.000Z' },
    ]);
    expect(post.statusCode).toBe(200);
    const all = (await get(h, '/api/v2/alerts')) as Gettable[];
    expect(names(all)).toEqual(['Disk/a', 'Disk/b', 'Lag/c']);
    const crit = all.find((a) => a.labels.instance === 'a')!;
    expect(crit).toEqual({
      labels: { alertname: 'Disk', severity: 'critical', instance: 'a' },
      annotations: { summary: 'full' },
      startsAt: expect.stringMatching(/^\d{4}-/),
      endsAt: expect.stringMatching(/^\d{4}-/),
      updatedAt: expect.stringMatching(/^\d{4}-/),
      generatorURL: 'http://prom/graph?g0',
      fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
      receivers: [{ name: 'hook' }],
      status: { state: 'active', silencedBy: [], inhibitedBy: [] },
    });
    // Go's zero time means "unset" (amtool alert add): the alert is firing, not resolved.
    const lag = all.find((a) => a.labels.alertname === 'Lag')!;
    expect(lag.receivers).toEqual([{ name: 'db-slack' }]);
    expect(Date.parse(lag.endsAt)).toBeGreaterThan(Date.now());
    const warn = all.find((a) => a.labels.instance === 'b')!;
    expect(warn.status).toEqual({ state: 'suppressed', silencedBy: [], inhibitedBy: [crit.fingerprint] });

    expect(names(await get(h, '/api/v2/alerts?inhibited=false'))).toEqual(['Disk/a', 'Lag/c']);
    expect(names(await get(h, '/api/v2/alerts?active=false'))).toEqual(['Disk/b']);
    expect(names(await get(h, '/api/v2/alerts?filter=alertname%3D%22Disk%22&filter=instance%3D~%22a%7Cc%22'))).toEqual(['Disk/a']);
    expect(names(await get(h, `/api/v2/alerts?filter=${encodeURIComponent('{alertname="Disk", severity!="critical"}')}`))).toEqual(['Disk/b']);
    expect(names(await get(h, '/api/v2/alerts?filter=instance%3D~a%7Cc'))).toEqual(['Disk/a', 'Lag/c']);
    expect(names(await get(h, '/api/v2/alerts?receiver=db-.*'))).toEqual(['Lag/c']);
    const bad = await api(h, 'GET', '/api/v2/alerts?filter=alertname~~x');
    expect(bad.statusCode).toBe(400);
    // Errors in Alertmanager's form (a JSON string), or problem+json for a client that asks for it.
    expect(bad.headers['content-type']).toMatch(/^application\/json/);
    expect(bad.json()).toMatch(/^filter "alertname~~x" is not a matcher .* \(ALERTING_MATCHER_INVALID\)$/);
    const problem = await h.app.inject({ url: '/api/v2/alerts?filter=alertname~~x', headers: { ...h.headers, accept: 'application/problem+json' } });
    expect(problem.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(problem.json()).toMatchObject({ status: 400, code: 'ALERTING_MATCHER_INVALID', detail: expect.stringMatching(/^filter "alertname~~x"/) });

    const groups = (await get(h, '/api/v2/alerts/groups')) as { labels: Record<string, string>; receiver: { name: string }; alerts: Gettable[] }[];
    const summary = groups.map((g) => [g.receiver.name, g.labels, names(g.alerts)]).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    expect(summary).toEqual([
      ['db-slack', { alertname: 'Lag' }, ['Lag/c']],
      ['hook', { alertname: 'Disk' }, ['Disk/a', 'Disk/b']],
    ]);
    expect(((await get(h, '/api/v2/alerts/groups?inhibited=false&receiver=hook')) as unknown[]).length).toBe(1);
  });

  it('creates, reads, filters, updates in place or replaces, and expires silences', async ({ h }) => {
    const now = Date.now();
    const body = {
      matchers: [{ name: 'alertname', value: 'Lag', isRegex: false, isEqual: true }],
      startsAt: new Date(now).toISOString(),
      endsAt: new Date(now + 3_600_000).toISOString(),
      createdBy: 'tester',
      comment: 'maintenance',
    };
    const created = await api(h, 'POST', '/api/v2/silences', body);
    expect(created.statusCode, created.body).toBe(200);
    const id = created.json().silenceID as string;
    const one = await get(h, `/api/v2/silence/${id}`);
    expect(one).toMatchObject({ id, status: { state: 'active' }, matchers: body.matchers, createdBy: 'tester', comment: 'maintenance', endsAt: body.endsAt });
    const lag = ((await get(h, '/api/v2/alerts?filter=alertname%3DLag')) as Gettable[])[0]!;
    expect(lag.status).toEqual({ state: 'suppressed', silencedBy: [id], inhibitedBy: [] });
    expect(await get(h, '/api/v2/alerts?silenced=false&filter=alertname%3DLag')).toEqual([]);

    // Same matchers, longer: updated in place (same id). Other matchers: the old one expires, a new id.
    const longer = await api(h, 'POST', '/api/v2/silences', { ...body, id, startsAt: one.startsAt, endsAt: new Date(now + 7_200_000).toISOString(), comment: 'longer' });
    expect(longer.json()).toEqual({ silenceID: id });
    expect((await get(h, `/api/v2/silence/${id}`)).comment).toBe('longer');
    const replaced = await api(h, 'POST', '/api/v2/silences', { ...body, id, matchers: [{ name: 'alertname', value: 'L.*', isRegex: true }] });
    const newId = replaced.json().silenceID as string;
    expect(newId).not.toBe(id);
    expect((await get(h, `/api/v2/silence/${id}`)).status.state).toBe('expired');
    expect((await get(h, `/api/v2/silence/${newId}`)).matchers).toEqual([{ name: 'alertname', value: 'L.*', isRegex: true, isEqual: true }]);

    const listed = (await get(h, '/api/v2/silences')) as { id: string; status: { state: string } }[];
    expect(listed.map((s) => [s.id, s.status.state])).toEqual([[newId, 'active'], [id, 'expired']]);
    // As in Alertmanager, a filter applies to the silences' matchers read as labels (name → value).
    expect(((await get(h, '/api/v2/silences?filter=alertname%3D%22Lag%22')) as { id: string }[]).map((s) => s.id)).toEqual([id]);
    expect(((await get(h, '/api/v2/silences?filter=alertname%3D~%22L.%2A%22')) as { id: string }[]).map((s) => s.id)).toEqual([newId, id]);

    expect((await api(h, 'DELETE', `/api/v2/silence/${newId}`)).statusCode).toBe(200);
    expect((await get(h, `/api/v2/silence/${newId}`)).status.state).toBe('expired');
    expect((await api(h, 'DELETE', `/api/v2/silence/${newId}`)).statusCode).toBe(200);
    expect((await api(h, 'DELETE', '/api/v2/silence/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await api(h, 'POST', '/api/v2/silences', { ...body, id: '00000000-0000-4000-8000-000000000000' })).statusCode).toBe(404);
    const past = await api(h, 'POST', '/api/v2/silences', { ...body, endsAt: new Date(now - 1000).toISOString(), startsAt: new Date(now - 5000).toISOString() });
    expect(past.statusCode).toBe(400);
    expect(past.json()).toMatch(/endsAt .* is in the past \(ALERTING_SILENCE_INVALID\)$/);
    expect((await api(h, 'POST', '/api/v2/silences', { ...body, matchers: [{ name: 'a', value: '(', isRegex: true }] })).json()).toMatch(/^matchers\[0\]: .*invalid regular expression/);
  });

  it('lists receivers and reports the routing as an Alertmanager configuration in status', async ({ h }) => {
    expect(await get(h, '/api/v2/receivers')).toEqual([{ name: 'db-slack' }, { name: 'hook' }]);
    const status = await get(h, '/api/v2/status');
    expect(status.cluster).toEqual({ status: 'disabled', peers: [] });
    expect(status.versionInfo.version).toBe(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version);
    expect(Date.parse(status.uptime)).toBeLessThanOrEqual(Date.now());
    const cfg = parse(status.config.original);
    expect(cfg.route).toMatchObject({ receiver: 'hook', group_by: ['alertname'], group_wait: '0s', routes: [{ receiver: 'db-slack', matchers: ['team="db"'] }] });
    expect(cfg.receivers).toEqual([
      { name: 'db-slack', slack_configs: [{ send_resolved: true, api_url: '<secret>', channel: '#db' }] },
      { name: 'hook', webhook_configs: [{ send_resolved: true, url: h.sink.url('/hook') }] },
    ]);
    expect(status.config.original).not.toContain('XXXX');
    expect(status.config.original).not.toContain('a-very-secret-hmac-key');
  });

  it('answers Alertmanager probes without a key, and takes the key as a Basic-auth password', async ({ h, kit }) => {
    const healthy = await h.app.inject({ url: '/-/healthy' });
    expect([healthy.statusCode, healthy.body]).toEqual([200, 'OK']);
    const ready = await h.app.inject({ url: '/-/ready' });
    expect([ready.statusCode, ready.body]).toEqual([200, 'OK']);
    const key = await kit.apiKey('acme', 'read');
    const basic = (user: string, pass: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` });
    expect((await h.app.inject({ url: '/api/v2/receivers', headers: basic('prometheus', key) })).statusCode).toBe(200);
    const wrong = await h.app.inject({ url: '/api/v2/receivers', headers: basic('prometheus', `${key.slice(0, -2)}xx`) });
    expect([wrong.statusCode, wrong.json()]).toEqual([401, 'unknown, malformed or revoked API key (AUTH_INVALID)']);
    expect((await h.app.inject({ url: '/api/v2/receivers', headers: basic(key, '') })).statusCode).toBe(401);
    const none = await h.app.inject({ url: '/api/v2/alerts' });
    expect([none.statusCode, none.json()]).toEqual([401, expect.stringMatching(/password of HTTP Basic auth.*\(AUTH_REQUIRED\)$/)]);
    // A read key can query but not silence.
    const denied = await h.app.inject({ method: 'POST', url: '/api/v2/silences', headers: basic('amtool', key), payload: {} });
    expect(denied.statusCode).toBe(403);
  });

  it("shows a tenant nothing of another tenant's alerts, silences or receivers", async ({ h, kit }) => {
    const other = { authorization: `Bearer ${await kit.apiKey('globex', 'admin')}` };
    for (const url of ['/api/v2/alerts', '/api/v2/alerts/groups', '/api/v2/silences', '/api/v2/receivers']) {
      const res = await h.app.inject({ url, headers: other });
      expect([url, res.statusCode, res.json()]).toEqual([url, 200, []]);
    }
    const mine = ((await get(h, '/api/v2/silences')) as { id: string }[])[0]!;
    expect((await h.app.inject({ url: `/api/v2/silence/${mine.id}`, headers: other })).statusCode).toBe(404);
    expect((await h.app.inject({ method: 'DELETE', url: `/api/v2/silence/${mine.id}`, headers: other })).statusCode).toBe(404);
  });
});

describe('Alertmanager probes when a dependency is down', () => {
  it('/-/ready answers 503 naming the dependency, /-/healthy stays OK', async ({ h }) => {
    const redis = h.app.infra.redis;
    redis.disconnect();
    try {
      const ready = await h.app.inject({ url: '/-/ready' });
      expect([ready.statusCode, ready.body]).toEqual([503, 'not ready: redis unreachable']);
      expect((await h.app.inject({ url: '/-/healthy' })).statusCode).toBe(200);
    } finally {
      await redis.connect();
    }
    expect((await h.app.inject({ url: '/-/ready' })).body).toBe('OK');
  });
});
