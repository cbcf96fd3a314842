// Slack Block Kit and PagerDuty Events API v2 payloads, exact, through the real delivery queue;
// Slack pacing and 429 Retry-After (Slack, and a plain webhook, which is not paced).
import { describe, expect } from 'vitest';
import { eventually } from '@vigil/service-kit/testing';
import { alertingTest, api, type Harness } from './fixtures.js';

const it = alertingTest('alertnotify', { setup: notifierSetup });

async function notifierSetup(h: Harness): Promise<void> {
  for (const [name, cfg] of Object.entries({
    slack: { kind: 'slack', webhookUrl: h.sink.url('/slack/T000/B000/XXXX') },
    limited: { kind: 'slack', webhookUrl: h.sink.url('/slack/limited') },
    pd: { kind: 'pagerduty', routingKey: 'R0UT1NGKEY0000000000000000000000', url: h.sink.url('/pd/v2/enqueue') },
    limitedhook: { kind: 'webhook', url: h.sink.url('/hook/limited'), secret: 'a-very-secret-hmac-key' },
  })) {
    expect((await api(h, 'PUT', `/v1/receivers/${name}`, cfg)).statusCode).toBe(204);
  }
  const routing = await api(h, 'PUT', '/v1/routing', {
    route: {
      receiver: 'slack', group_by: ['...'], group_wait: '0s', group_interval: '1s', repeat_interval: '1h',
      routes: [{ matchers: ['team="pd"'], receiver: 'pd' }, { matchers: ['team="limited"'], receiver: 'limited' }, { matchers: ['team="limitedhook"'], receiver: 'limitedhook' }],
    },
    inhibit_rules: [],
  });
  expect(routing.statusCode).toBe(204);
}

describe('notifiers', () => {
  it('Slack: Block Kit with severity, summary, key labels, runbook and source links', { timeout: 180_000 }, async ({ h }) => {
    await api(h, 'POST', '/api/v2/alerts', [
      { labels: { alertname: 'CacheLow', database: 'orders', severity: 'warning' }, annotations: { summary: 'Cache hit 80 %', runbook_url: 'https://runbooks.test/cache' }, generatorURL: 'http://prom.test/g' },
    ]);
    const req = await eventually(async () => h.sink.on('/slack/T000/B000/XXXX')[0]);
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.json).toEqual({
      text: '[FIRING:1] CacheLow (warning)',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: '[FIRING:1] CacheLow', emoji: true } },
        { type: 'section', fields: [{ type: 'mrkdwn', text: '*Severity*\n:warning: warning' }, { type: 'mrkdwn', text: '*database*\norders' }] },
        { type: 'section', text: { type: 'mrkdwn', text: ':red_circle: Cache hit 80 %' } },
        {
          type: 'actions',
          elements: [
            { type: 'button', text: { type: 'plain_text', text: 'Runbook' }, url: 'https://runbooks.test/cache' },
            { type: 'button', text: { type: 'plain_text', text: 'Source' }, url: 'http://prom.test/g' },
          ],
        },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'Vigil · slack · {}:{alertname="CacheLow",database="orders",severity="warning"}' }] },
      ],
    });
  });

  it('PagerDuty: trigger, acknowledge and resolve share one stable dedup_key', async ({ h }) => {
    const labels = { alertname: 'ApiDown', service: 'api', severity: 'critical', team: 'pd' };
    await api(h, 'POST', '/api/v2/alerts', [{ labels, annotations: { summary: 'API down' } }]);
    const trigger = (await eventually(async () => h.sink.on('/pd/v2/enqueue')[0])).json as Record<string, unknown>;
    const [alert] = (await api(h, 'GET', '/v1/alerts?label=alertname=ApiDown')).json().items;
    expect(trigger).toEqual({
      routing_key: 'R0UT1NGKEY0000000000000000000000',
      event_action: 'trigger',
      dedup_key: expect.stringMatching(/^[0-9a-f]{64}$/),
      payload: {
        summary: '[FIRING:1] ApiDown: API down',
        source: 'api',
        severity: 'critical',
        timestamp: alert.startsAt,
        class: 'ApiDown',
        group: '{}/{team="pd"}:{alertname="ApiDown",service="api",severity="critical",team="pd"}',
        custom_details: { firing: [{ labels, annotations: { summary: 'API down' }, startsAt: alert.startsAt }], num_firing: 1, num_resolved: 0 },
      },
      client: 'Vigil',
      client_url: 'http://vigil.test',
      links: [],
    });
    expect((await api(h, 'POST', `/v1/alerts/${alert.id}/acknowledge`, {})).statusCode).toBe(200);
    const ack = (await eventually(async () => h.sink.on('/pd/v2/enqueue')[1])).json;
    expect(ack).toEqual({ routing_key: 'R0UT1NGKEY0000000000000000000000', dedup_key: trigger.dedup_key, event_action: 'acknowledge' });
    expect((await api(h, 'POST', `/v1/alerts/${alert.id}/resolve`, {})).statusCode).toBe(200);
    const resolve = (await eventually(async () => h.sink.on('/pd/v2/enqueue')[2])).json;
    expect(resolve).toEqual({ routing_key: 'R0UT1NGKEY0000000000000000000000', dedup_key: trigger.dedup_key, event_action: 'resolve' });
  });

  it('Slack webhooks are paced to about one message per second', async ({ h }) => {
    await api(h, 'POST', '/api/v2/alerts', ['a', 'b', 'c'].map((i) => ({ labels: { alertname: 'Paced', instance: i } })));
    const reqs = await eventually(async () => {
      const list = h.sink.on('/slack/T000/B000/XXXX').filter((r) => (r.json as { text: string }).text.includes('Paced'));
      return list.length === 3 ? list : undefined;
    });
    expect(reqs[1]!.at - reqs[0]!.at).toBeGreaterThanOrEqual(900);
    expect(reqs[2]!.at - reqs[1]!.at).toBeGreaterThanOrEqual(900);
  });

  it('a 429 with Retry-After holds every send to that webhook until the time has passed', async ({ h }) => {
    let limited = 0;
    h.sink.respond = (r) => (r.path === '/slack/limited' && limited++ === 0 ? { status: 429, headers: { 'retry-after': '3' } } : { status: 200 });
    await api(h, 'POST', '/api/v2/alerts', [{ labels: { alertname: 'Limited', team: 'limited' } }]);
    const reqs = await eventually(async () => (h.sink.on('/slack/limited').length >= 2 ? h.sink.on('/slack/limited') : undefined), 30_000);
    expect(reqs[0]!.body).toBe(reqs[1]!.body);
    expect(reqs[1]!.at - reqs[0]!.at).toBeGreaterThanOrEqual(2900);
    const sent = await eventually(async () => {
      const list = (await api(h, 'GET', '/v1/notifications?state=delivered')).json().items as { receiver: string; attempts: number }[];
      return list.find((n) => n.receiver === 'limited');
    });
    expect(sent.attempts).toBe(2);
    h.sink.respond = () => ({ status: 200 });
  });

  it('a 429 with Retry-After from a webhook holds later notifications to it too, until the time has passed', async ({ h }) => {
    let limited = 0;
    h.sink.respond = (r) => (r.path === '/hook/limited' && limited++ === 0 ? { status: 429, headers: { 'retry-after': '3' } } : { status: 200 });
    await api(h, 'POST', '/api/v2/alerts', [{ labels: { alertname: 'LimitedFirst', team: 'limitedhook' } }]);
    const [refused] = await eventually(async () => (h.sink.on('/hook/limited').length ? h.sink.on('/hook/limited') : undefined), 30_000);
    // A new notification to the paused target, flushed in the intake's transaction after the 429.
    await eventually(async () => {
      const list = (await api(h, 'GET', '/v1/notifications?state=queued')).json().items as { receiver: string; lastStatus: number | null }[];
      return list.some((n) => n.receiver === 'limitedhook' && n.lastStatus === 429);
    }, 30_000, 20);
    await api(h, 'POST', '/api/v2/alerts', [{ labels: { alertname: 'LimitedSecond', team: 'limitedhook' } }]);
    const sends = await eventually(async () => {
      const list = h.sink.on('/hook/limited').filter((r) => r.status === 200);
      return list.length >= 2 ? h.sink.on('/hook/limited') : undefined;
    }, 30_000);
    expect(sends).toHaveLength(3);
    for (const r of sends.slice(1)) expect(r.at - refused!.at).toBeGreaterThanOrEqual(2900);
    h.sink.respond = () => ({ status: 200 });
  });

  it('a test notification reaches the receiver', async ({ h }) => {
    const res = await api(h, 'POST', '/v1/receivers/slack/test');
    expect(res.statusCode).toBe(202);
    await eventually(async () => h.sink.on('/slack/T000/B000/XXXX').find((r) => (r.json as { text: string }).text.includes('VigilTestNotification')));
    const receivers = (await api(h, 'GET', '/v1/receivers')).json().items as { name: string; config: { webhookUrl?: string } }[];
    expect(JSON.stringify(receivers)).not.toContain('/slack/T000/B000/XXXX');
  });
});
