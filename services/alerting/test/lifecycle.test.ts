// Alertmanager API in, webhook (v4, signed) out: lifecycle, history, grouping, silences, inhibition.
import { createHmac } from 'node:crypto';
import { describe, expect } from 'vitest';
import { eventually } from '@vigil/service-kit/testing';
import { alertingTest, api, flushMarker, webhookSetup, type Harness } from './fixtures.js';

const it = alertingTest('alertlife', { setup: webhookSetup });

type Hook = { status: string; alerts: { status: string; labels: Record<string, string>; fingerprint: string; endsAt: string }[]; groupKey: string };
const hooksOf = (h: Harness) => h.sink.on('/hook').map((r) => r.json as Hook);

describe('alert lifecycle through the Alertmanager API', () => {
  it('fires, notifies in Alertmanager v4 format with an HMAC signature, and records history', { timeout: 180_000 }, async ({ h }) => {
    const res = await api(h, 'POST', '/api/v2/alerts', [
      { labels: { alertname: 'DiskFull', instance: 'db-1', severity: 'critical' }, annotations: { summary: 'Disk 97 % full' }, generatorURL: 'http://prom/graph?g0' },
    ]);
    expect(res.statusCode).toBe(200);
    const req = await eventually(async () => h.sink.on('/hook')[0]);
    const body = req.json as Record<string, unknown>;
    expect(body).toEqual({
      receiver: 'hook',
      status: 'firing',
      alerts: [
        {
          status: 'firing',
          labels: { alertname: 'DiskFull', instance: 'db-1', severity: 'critical' },
          annotations: { summary: 'Disk 97 % full' },
          startsAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          endsAt: '0001-01-01T00:00:00Z',
          generatorURL: 'http://prom/graph?g0',
          fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
        },
      ],
      groupLabels: { alertname: 'DiskFull', instance: 'db-1', severity: 'critical' },
      commonLabels: { alertname: 'DiskFull', instance: 'db-1', severity: 'critical' },
      commonAnnotations: { summary: 'Disk 97 % full' },
      externalURL: 'http://vigil.test',
      version: '4',
      groupKey: '{}:{alertname="DiskFull",instance="db-1",severity="critical"}',
      truncatedAlerts: 0,
    });
    const expected = `sha256=${createHmac('sha256', 'a-very-secret-hmac-key').update(req.body).digest('hex')}`;
    expect(req.headers['x-vigil-signature-256']).toBe(expected);
    expect(req.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);

    const [alert] = (await api(h, 'GET', '/v1/alerts?state=firing&label=alertname=DiskFull')).json().items;
    expect(alert.labels.instance).toBe('db-1');
    const ack = await api(h, 'POST', `/v1/alerts/${alert.id}/acknowledge`, { note: 'looking' });
    expect(ack.statusCode).toBe(200);
    expect(ack.json().state).toBe('acknowledged');
    expect((await api(h, 'POST', `/v1/alerts/${alert.id}/acknowledge`, {})).statusCode).toBe(409);

    // Resolution through the API (endsAt in the past), as Prometheus sends it.
    await api(h, 'POST', '/api/v2/alerts', [{ labels: { alertname: 'DiskFull', instance: 'db-1', severity: 'critical' }, endsAt: new Date(Date.now() - 1000).toISOString() }]);
    const resolved = await eventually(async () => hooksOf(h).find((b) => b.status === 'resolved'));
    expect(resolved.alerts[0]!.status).toBe('resolved');
    expect(resolved.alerts[0]!.endsAt).not.toBe('0001-01-01T00:00:00Z');
    const history = (await api(h, 'GET', `/v1/alerts/${alert.id}/history`)).json().items as { from: string | null; to: string; note: string | null }[];
    expect(history.map((e) => [e.from, e.to])).toEqual([[null, 'firing'], ['firing', 'acknowledged'], ['acknowledged', 'resolved']]);
    expect(history[1]!.note).toBe('looking');
  });

  it('deduplicates by fingerprint: re-posting a firing alert neither opens a new one nor notifies again', async ({ h }) => {
    const labels = { alertname: 'Dup', instance: 'x' };
    await api(h, 'POST', '/api/v2/alerts', [{ labels }]);
    await eventually(async () => hooksOf(h).find((b) => b.alerts[0]?.labels.alertname === 'Dup'));
    await api(h, 'POST', '/api/v2/alerts', [{ labels }, { labels }]);
    // Positive signal: the group's next flush, which carries the resolution posted after the
    // re-posts. A re-post that changed the group would have been notified before it or within it.
    await api(h, 'POST', '/api/v2/alerts', [{ labels, endsAt: new Date(Date.now() - 10).toISOString() }]);
    const dup = await eventually(async () => {
      const list = hooksOf(h).filter((b) => b.alerts[0]?.labels.alertname === 'Dup');
      return list.some((b) => b.status === 'resolved') ? list : undefined;
    });
    expect(dup.map((b) => b.status)).toEqual(['firing', 'resolved']);
    expect(dup[1]!.alerts).toHaveLength(1);
    expect((await api(h, 'GET', '/v1/alerts?label=alertname=Dup')).json().items).toHaveLength(1);
  });

  it('a silence mutes matching alerts; "until resolved" ends when they resolve', async ({ h }) => {
    const s = await api(h, 'POST', '/v1/silences', { matchers: ['alertname="Noisy"'], untilResolved: true, comment: 'known' });
    expect(s.statusCode).toBe(201);
    await api(h, 'POST', '/api/v2/alerts', [{ labels: { alertname: 'Noisy', instance: 'a' } }, { labels: { alertname: 'Quiet', instance: 'a' } }]);
    await eventually(async () => hooksOf(h).find((b) => b.alerts[0]?.labels.alertname === 'Quiet'));
    await flushMarker(h); // the Noisy group, due with Quiet's, has been flushed and nothing is in flight
    expect(hooksOf(h).some((b) => b.alerts[0]?.labels.alertname === 'Noisy')).toBe(false);
    expect((await api(h, 'GET', '/v1/alerts?state=firing&label=alertname=Noisy')).json().items).toHaveLength(1);

    await api(h, 'POST', '/api/v2/alerts', [{ labels: { alertname: 'Noisy', instance: 'a' }, endsAt: new Date(Date.now() - 10).toISOString() }]);
    const list = await eventually(async () => {
      const all = (await api(h, 'GET', '/v1/silences')).json().items as { id: string; expiredAt: string | null }[];
      return all.find((x) => x.id === s.json().id && x.expiredAt) ? all : undefined;
    });
    expect(list.length).toBeGreaterThan(0);
    // A new Noisy alert is not silenced any more.
    await api(h, 'POST', '/api/v2/alerts', [{ labels: { alertname: 'Noisy', instance: 'b' } }]);
    await eventually(async () => hooksOf(h).find((b) => b.alerts[0]?.labels.alertname === 'Noisy' && b.status === 'firing'));
  });

  it('inhibition: a critical alert mutes the warning of the same thing', async ({ h }) => {
    await api(h, 'PUT', '/v1/routing', {
      route: { receiver: 'hook', group_by: ['...'], group_wait: '0s', group_interval: '1s', repeat_interval: '1h' },
      inhibit_rules: [{ source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['alertname', 'db'] }],
    });
    await api(h, 'POST', '/api/v2/alerts', [{ labels: { alertname: 'Lag', db: 'orders', severity: 'critical' } }]);
    await eventually(async () => hooksOf(h).find((b) => b.alerts[0]?.labels.alertname === 'Lag'));
    await api(h, 'POST', '/api/v2/alerts', [
      { labels: { alertname: 'Lag', db: 'orders', severity: 'warning' } },
      { labels: { alertname: 'Lag', db: 'billing', severity: 'warning' } },
    ]);
    await eventually(async () => hooksOf(h).find((b) => b.alerts[0]?.labels.db === 'billing'));
    await flushMarker(h); // the orders warning's group, due with billing's, has been flushed and nothing is in flight
    const lag = hooksOf(h).filter((b) => b.alerts[0]?.labels.alertname === 'Lag').map((b) => `${b.alerts[0]!.labels.db}/${b.alerts[0]!.labels.severity}`);
    expect(lag.sort()).toEqual(['billing/warning', 'orders/critical']);
  });

  it('grouping: alerts sharing group labels arrive in one notification after group_wait', async ({ h }) => {
    await api(h, 'PUT', '/v1/routing', { route: { receiver: 'hook', group_by: ['alertname'], group_wait: '1s', group_interval: '2s', repeat_interval: '1h' }, inhibit_rules: [] });
    await api(h, 'POST', '/api/v2/alerts', [{ labels: { alertname: 'Grouped', instance: '1' } }]);
    await api(h, 'POST', '/api/v2/alerts', [{ labels: { alertname: 'Grouped', instance: '2' } }]);
    const first = await eventually(async () => hooksOf(h).find((b) => b.alerts[0]?.labels.alertname === 'Grouped'));
    expect(first.alerts.map((a) => a.labels.instance).sort()).toEqual(['1', '2']);
    expect(first.groupKey).toBe('{}:{alertname="Grouped"}');
  });

  it('is tenant-scoped', async ({ h }) => {
    const other = await h.kit.apiKey('globex', 'read');
    const res = await h.app.inject({ url: '/v1/alerts', headers: { authorization: `Bearer ${other}` } });
    expect(res.json()).toEqual({ items: [], nextCursor: null });
  });

  it('one request carrying an alert twice applies both in order: one notification, with the later annotations', async ({ h }) => {
    const labels = { alertname: 'SentTwice', instance: 'db-9' };
    const res = await api(h, 'POST', '/api/v2/alerts', [
      { labels, annotations: { summary: 'first' } },
      { labels, annotations: { summary: 'second' } },
    ]);
    expect(res.statusCode).toBe(200);
    await eventually(async () => hooksOf(h).some((b) => b.alerts[0]?.labels.alertname === 'SentTwice'));
    // Positive signal that every flush due before now has been delivered, then count.
    await flushMarker(h);
    const sent = h.sink.on('/hook').filter((r) => (r.json as Hook).alerts[0]?.labels.alertname === 'SentTwice');
    expect(sent).toHaveLength(1);
    expect((sent[0]!.json as { commonAnnotations: Record<string, string> }).commonAnnotations).toEqual({ summary: 'second' });
    const open = (await api(h, 'GET', '/v1/alerts?state=firing&label=alertname=SentTwice')).json().items as { annotations: Record<string, string> }[];
    expect(open).toEqual([expect.objectContaining({ annotations: { summary: 'second' } })]);
  });
});
