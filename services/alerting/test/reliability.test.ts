// Delivery reliability inside one process: a target down then back (exactly once), dead-letter
// after the maximum attempts (raising its own alert), and malformed input answered with 400.
import { describe, expect } from 'vitest';
import { eventually } from '@vigil/service-kit/testing';
import { alertingTest, api, deliverySettled, webhookSetup } from './fixtures.js';

const it = alertingTest('alertrely', {
  env: { ALERTING_DELIVERY_MAX_ATTEMPTS: '3' },
  setup: async (h) => {
    await api(h, 'PUT', '/v1/receivers/broken', { kind: 'webhook', url: h.sink.url('/broken'), secret: 'another-long-secret-key' });
    await webhookSetup(h, { routes: [{ matchers: ['team="broken"'], receiver: 'broken' }] });
  },
});

type Hook = { alerts: { labels: Record<string, string>; fingerprint: string; status: string }[] };

describe('delivery reliability', () => {
  it('a webhook target down for a while gets every notification exactly once when it returns', { timeout: 180_000 }, async ({ h }) => {
    let down = true;
    h.sink.respond = (r) => (r.path === '/hook' && down ? { status: 503 } : { status: 200 });
    await api(h, 'POST', '/api/v2/alerts', Array.from({ length: 20 }, (_, i) => ({ labels: { alertname: 'Outage', instance: `i${i}` } })));
    await eventually(async () => h.sink.on('/hook').filter((r) => r.status === 503).length >= 20);
    down = false;
    const ok = await eventually(async () => {
      const list = h.sink.on('/hook').filter((r) => r.status === 200 && (r.json as Hook).alerts[0]?.labels.alertname === 'Outage');
      return list.length >= 20 ? list : undefined;
    }, 30_000);
    // Positive signal: every notification is recorded as delivered (or dead), none is queued or in flight.
    await deliverySettled(h);
    const accepted = h.sink.on('/hook').filter((r) => r.status === 200 && (r.json as Hook).alerts[0]?.labels.alertname === 'Outage');
    expect(accepted.length).toBe(20);
    expect(new Set(ok.map((r) => (r.json as Hook).alerts[0]!.labels.instance)).size).toBe(20);
    expect(new Set(accepted.map((r) => r.headers['idempotency-key'])).size).toBe(20);
    const failed = (await api(h, 'GET', '/v1/notifications?state=dead')).json().items as unknown[];
    expect(failed).toEqual([]);
  });

  it('after the maximum attempts a notification is dead-lettered and raises an alert of its own', async ({ h }) => {
    h.sink.respond = (r) => (r.path === '/broken' ? { status: 500 } : { status: 200 });
    await api(h, 'POST', '/api/v2/alerts', [{ labels: { alertname: 'WillFail', team: 'broken' } }]);
    const dead = await eventually(async () => {
      const list = (await api(h, 'GET', '/v1/notifications?state=dead')).json().items as { receiver: string; attempts: number; lastStatus: number }[];
      return list.find((n) => n.receiver === 'broken');
    }, 30_000);
    expect(dead).toMatchObject({ attempts: 3, lastStatus: 500 });
    expect(h.sink.on('/broken')).toHaveLength(3);
    // Delivery does not raise the alert itself: it counts the dead letter and publishes
    // NotificationDeadLettered, and the builtin rule of that name raises the alert from the event.
    const metrics = (await h.app.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(/vigil_alerting_notifications_dead_lettered_total\{[^}]*kind="webhook"[^}]*\} 1/);
    const [alert] = await eventually(async () => {
      const list = (await api(h, 'GET', '/v1/alerts?state=firing&label=alertname=NotificationDeadLettered')).json().items as { labels: Record<string, string>; source: string; ruleId: string | null }[];
      return list.length ? list : undefined;
    }, 30_000);
    expect(alert!.labels).toEqual({ alertname: 'NotificationDeadLettered', receiver: 'broken', severity: 'critical' });
    expect(alert!.source).toBe('notification-dead-lettered');
    expect(alert!.ruleId).not.toBeNull();
    // ...and it is routed like any other alert.
    await eventually(async () => h.sink.on('/hook').find((r) => (r.json as Hook).alerts[0]?.labels.alertname === 'NotificationDeadLettered'));
    h.sink.respond = () => ({ status: 200 });
  });

  it('malformed Alertmanager bodies get a 400 that says what is wrong', async ({ h }) => {
    const cases: [unknown, RegExp][] = [
      [{ labels: { a: 'b' } }, /body must be array/],
      [[{ annotations: {} }], /missing field `\[0\]\.labels` in body/],
      [[{ labels: { 'bad-name': 'x' } }], /labels/],
      [[{ labels: {} }], /\[0\]\.labels must not be empty/],
      [[{ labels: { a: 'b' }, startsAt: 'yesterday' }], /`\[0\]\.startsAt` in body must be a valid date-time/],
      [[{ labels: { a: 'b' }, startsAt: '2026-01-02T00:00:00Z', endsAt: '2026-01-01T00:00:00Z' }], /endsAt .* is before startsAt/],
    ];
    for (const [body, detail] of cases) {
      // Problem+json for a client that asks for it; Alertmanager's JSON string otherwise.
      const res = await h.app.inject({ method: 'POST', url: '/api/v2/alerts', headers: { ...h.headers, accept: 'application/problem+json' }, payload: body as object });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().detail, JSON.stringify(body)).toMatch(detail);
      const plain = await api(h, 'POST', '/api/v2/alerts', body);
      expect([plain.statusCode, plain.headers['content-type']]).toEqual([400, 'application/json; charset=utf-8']);
      expect(plain.json(), JSON.stringify(body)).toMatch(detail);
    }
  });

  it('malformed rules get a 400 that says what is wrong', async ({ h }) => {
    const cases: [unknown, RegExp][] = [
      [{ name: 'X', kind: 'sometimes' }, /kind must be "threshold" or "event"/],
      [{ name: 'X', kind: 'threshold', metric: 'm', op: '>', levels: [{ severity: 'warning', value: 1 }], for: 'a while' }, /for "a while" is not a duration/],
      [{ name: 'X', kind: 'threshold', metric: 'm', op: '~', levels: [{ severity: 'warning', value: 1 }] }, /\/op/],
      [{ name: 'X', kind: 'threshold', metric: 'm', op: '>', levels: [] }, /\/levels/],
      [{ name: 'X', kind: 'event', event: 'E', severity: 'warning', matchers: ['x=~"("'] }, /invalid regular expression/],
      [{ name: '1bad', kind: 'event', event: 'E', severity: 'warning' }, /\/name/],
    ];
    for (const [body, detail] of cases) {
      const res = await api(h, 'POST', '/v1/rules', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().code).toBe('ALERTING_RULE_INVALID');
      expect(res.json().detail, JSON.stringify(body)).toMatch(detail);
    }
    const routing = await api(h, 'PUT', '/v1/routing', { route: { receiver: 'nobody' }, inhibit_rules: [] });
    expect(routing.statusCode).toBe(400);
    expect(routing.json().detail).toMatch(/route.receiver: no receiver named "nobody"/);
    const silence = await api(h, 'POST', '/v1/silences', { matchers: ['a="b"'] });
    expect(silence.json().detail).toMatch(/needs endsAt, untilResolved, or both/);
  });
});
