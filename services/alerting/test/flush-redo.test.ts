// A group flush done twice for the same change yields one notification with one key. Background work
// commits asynchronously (synchronous_commit=off), so a PostgreSQL crash can lose a flush's commit
// after its request went out; the flush then runs again from the group's previous state. That redo must
// carry the key the receiver already has (it drops the second request by Idempotency-Key), while a
// repeat after repeat_interval is a new notification with a new key.
import { describe, expect } from 'vitest';
import { eventually } from '@vigil/service-kit/testing';
import { alertingTest, api, deliverySettled, webhookSetup, type Harness } from './fixtures.js';

const it = alertingTest('alertredo', {
  setup: (h) => webhookSetup(h, { routes: [{ matchers: ['alertname="Repeated"'], group_interval: '1s', repeat_interval: '2s' }] }),
});

type Hook = { alerts: { labels: Record<string, string>; status: string }[] };
const sendsOf = (h: Harness, alertname: string) => h.sink.on('/hook').filter((r) => (r.json as Hook).alerts[0]?.labels.alertname === alertname);

describe('a group flush done again', () => {
  it('after its commit was lost, sends the key and body the receiver already has', { timeout: 60_000 }, async ({ h }) => {
    expect((await api(h, 'POST', '/api/v2/alerts', [{ labels: { alertname: 'Redone', instance: 'db-1' } }])).statusCode).toBe(200);
    const [first] = await eventually(async () => (sendsOf(h, 'Redone').length ? sendsOf(h, 'Redone') : undefined), 30_000);
    await deliverySettled(h);
    const key = first!.headers['idempotency-key'] as string;

    // What PostgreSQL holds after losing that flush's asynchronous commit: no notification, and the
    // group as the intake left it (never notified, due now).
    const pool = h.app.infra.pool;
    const { rows } = await pool.query(
      `SELECT g.id FROM alerting.alert_groups g JOIN alerting.group_alerts m ON m.group_id = g.id JOIN alerting.alerts a ON a.id = m.alert_id WHERE a.labels->>'alertname' = 'Redone'`,
    );
    expect(rows).toHaveLength(1);
    await pool.query(`DELETE FROM alerting.notifications WHERE idempotency_key = $1`, [key]);
    await pool.query(`UPDATE alerting.alert_groups SET last_flush_at = NULL, last_digest = NULL, next_flush_at = now() WHERE id = $1`, [rows[0].id]);

    const [, again] = await eventually(async () => (sendsOf(h, 'Redone').length >= 2 ? sendsOf(h, 'Redone') : undefined), 30_000);
    await deliverySettled(h);
    expect(again!.headers['idempotency-key']).toBe(key);
    expect(again!.body).toBe(first!.body);
    const queue = (await api(h, 'GET', '/v1/notifications?limit=1000')).json().items as { idempotencyKey: string; state: string }[];
    expect(queue.filter((n) => n.idempotencyKey === key)).toEqual([expect.objectContaining({ state: 'delivered' })]);
  });

  it('a repeat after repeat_interval is a new notification with a new key', { timeout: 60_000 }, async ({ h }) => {
    expect((await api(h, 'POST', '/api/v2/alerts', [{ labels: { alertname: 'Repeated', instance: 'db-2' } }])).statusCode).toBe(200);
    const sends = await eventually(async () => (sendsOf(h, 'Repeated').length >= 2 ? sendsOf(h, 'Repeated') : undefined), 30_000);
    expect(sends.every((r) => (r.json as Hook).alerts[0]!.status === 'firing')).toBe(true);
    expect(new Set(sends.map((r) => r.headers['idempotency-key'])).size).toBe(sends.length);
  });
});
