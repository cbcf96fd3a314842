// The console's event history: the consumer records catalog events from the real Kafka, once per
// event id however often one is delivered, per tenant; retention drops whole expired days; the
// timeline, events and what-changed reads; incidents opened, resolved, and their durations.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertStateChanged, buildEnvelope, encodeWire, ErrorEventsProcessed, ErrorSpikeDetected, HealthScored, type EventBus } from '@vigil/events';
import { eventually } from '@vigil/service-kit/testing';
import type pg from 'pg';
import { listPartitions } from '../db/history.js';
import { purgeHistory, timeline } from '../operations/history.js';
import { collect } from './events.js';
import { signIn, startHarness, type Browser, type Harness } from './harness.js';

const PASSWORD = 'history-test-passphrase-9';
let h: Harness;
let pool: pg.Pool;
let admin: Browser;
let producer: { bus: EventBus; stop(): Promise<void> };

const MIN = 60_000;
const health = (databaseId: string, score: number, at: Date, components: { name: string; penalty: number; detail: string }[] = []) => ({
  databaseId,
  databaseName: `orders-${databaseId.slice(0, 4)}`,
  score,
  status: score < 50 ? ('critical' as const) : score < 80 ? ('warning' as const) : ('healthy' as const),
  components,
  scoredAt: at.toISOString(),
});
const rows = async (eventId: string) => (await pool.query(`SELECT tenant_id FROM console.event_history WHERE event_id = $1`, [eventId])).rows as { tenant_id: string }[];
const json = <T>(res: { statusCode: number; body: string }, status = 200): T => {
  expect(res.statusCode, res.body).toBe(status);
  return JSON.parse(res.body) as T;
};

beforeAll(async () => {
  h = await startHarness('conhistory');
  pool = (h.app as unknown as { infra: { pool: pg.Pool } }).infra.pool;
  producer = await collect(h.env, []);
  const first = await signIn(h.app, 'admin@vigil.local', await h.adminPassword());
  await first.call({ method: 'POST', url: '/api/session/password', payload: { currentPassword: await h.adminPassword(), newPassword: PASSWORD } });
  admin = first;
}, 120_000);
afterAll(async () => {
  await producer?.stop();
  await h?.close();
});

describe('event history', () => {
  it('records an event once however often Kafka delivers it, and only under its own tenant', async () => {
    const databaseId = randomUUID();
    const envelope = buildEnvelope(HealthScored, health(databaseId, 91, new Date()), { tenantId: 'default', source: 'perf-collector' });
    const wire = encodeWire(HealthScored, envelope, {});
    await producer.bus.sendWire([wire, wire]);
    await producer.bus.sendWire([wire]);
    // Same key, same partition: once this marker is recorded, every copy before it was handled.
    const marker = await producer.bus.publish(HealthScored, health(databaseId, 90, new Date()), { tenantId: 'default' });
    const foreign = await producer.bus.publish(HealthScored, health(databaseId, 12, new Date()), { tenantId: 'tenant-b' });
    await eventually(async () => (await rows(foreign.id)).length === 1, 60_000, 200);
    expect(await rows(marker.id)).toEqual([{ tenant_id: 'default' }]);
    expect(await rows(envelope.id)).toEqual([{ tenant_id: 'default' }]);

    const from = new Date(Date.now() - 10 * MIN).toISOString();
    const to = new Date(Date.now() + MIN).toISOString();
    const tl = json<{ lanes: { lane: string; series: { key: string; values: (number | null)[] }[] }[] }>(
      await admin.call({ method: 'GET', url: `/api/history/timeline?from=${from}&to=${to}&lanes=database&buckets=60` }),
    );
    const line = tl.lanes[0]!.series.find((s) => s.key === `health:${databaseId}`)!;
    // The lowest score of the bucket is the tenant's own 90, never tenant-b's 12.
    expect(Math.min(...line.values.filter((v): v is number => v !== null))).toBe(90);
  });

  it('keeps the retention: older events are not recorded, expired days are dropped whole', async () => {
    const databaseId = randomUUID();
    const now = Date.now();
    const ancient = await producer.bus.publish(HealthScored, health(databaseId, 70, new Date(now - 40 * 86_400_000)), { tenantId: 'default' });
    const twoDays = await producer.bus.publish(HealthScored, health(databaseId, 71, new Date(now - 2 * 86_400_000 - 3_600_000)), { tenantId: 'default' });
    const recent = await producer.bus.publish(HealthScored, health(databaseId, 72, new Date(now - 5 * MIN)), { tenantId: 'default' });
    await eventually(async () => (await rows(recent.id)).length === 1, 60_000, 200);
    expect(await rows(twoDays.id)).toHaveLength(1);
    expect(await rows(ancient.id)).toHaveLength(0);
    const dayOfTwo = new Date(now - 2 * 86_400_000 - 3_600_000).toISOString().slice(0, 10).replace(/-/g, '');
    expect(await listPartitions(pool)).toContain(dayOfTwo);

    // Three days of retention, two days from now: the cutoff is a day ago, after the whole day of the two-day-old event.
    const purged = await purgeHistory(pool, 3, new Date(now + 2 * 86_400_000));
    expect(purged.droppedPartitions).toContain(dayOfTwo);
    expect(await listPartitions(pool)).not.toContain(dayOfTwo);
    expect(await rows(twoDays.id)).toHaveLength(0);
    expect(await rows(recent.id)).toHaveLength(1);

    // The same purge runs on the kit's scheduler (singleton, at start and then hourly): it ran, and made tomorrow's day ahead of its events.
    await eventually(async () => /vigil_task_runs_total\{task="history-retention",outcome="ok"[^}]*\} [1-9]/.test((await h.app.inject({ url: '/metrics' })).body), 30_000, 200);
    const tomorrow = new Date(now + 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
    expect(await listPartitions(pool)).toContain(tomorrow);
  });

  it('says what changed before an alert: the spike and the health drop with the check that moved', async () => {
    const databaseId = randomUUID();
    const issueId = randomUUID();
    const alertId = randomUUID();
    const t = Date.now();
    await producer.bus.publish(HealthScored, health(databaseId, 95, new Date(t - 20 * MIN), [{ name: 'cache hit ratio', penalty: 5, detail: '97 % hits' }]), { tenantId: 'default' });
    await producer.bus.publish(
      HealthScored,
      health(databaseId, 40, new Date(t - 4 * MIN), [
        { name: 'cache hit ratio', penalty: 5, detail: '97 % hits' },
        { name: 'query time', penalty: 55, detail: 'slowest statement 6.2 s mean' },
      ]),
      { tenantId: 'default' },
    );
    await producer.bus.publish(
      ErrorSpikeDetected,
      { projectId: '7', issueId, title: 'TypeError: cart vanished', level: 'error', count: 120, windowStart: new Date(t - 3 * MIN).toISOString(), windowMinutes: 1, baseline: 0.5, zScore: 30 },
      { tenantId: 'default' },
    );
    // error-ingest's per-batch summary: the errors lane's counts (errors.events itself is a firehose the console skips).
    const at = new Date(t - 2 * MIN).toISOString();
    await producer.bus.publish(ErrorEventsProcessed, { projectId: '7', eventCount: 37, issueCount: 2, firstReceivedAt: at, lastReceivedAt: at }, { tenantId: 'default' });
    const fired = await producer.bus.publish(
      AlertStateChanged,
      { alertId, fingerprint: 'fp-1', state: 'firing', severity: 'critical', labels: { alertname: 'CheckoutDown' }, annotations: {}, changedAt: new Date(t).toISOString() },
      { tenantId: 'default' },
    );
    await eventually(async () => (await rows(fired.id)).length === 1, 60_000, 200);
    await eventually(async () => (await pool.query(`SELECT 1 FROM console.event_history WHERE subject_id = $1 AND value = 40`, [databaseId])).rowCount === 1, 30_000, 200);
    await eventually(async () => (await pool.query(`SELECT 1 FROM console.event_history WHERE subject_id = $1`, [issueId])).rowCount === 1, 30_000, 200);
    const counted = await eventually(async () => (await pool.query(`SELECT lane, kind, value, occurred_at FROM console.event_history WHERE subject_id = '7' AND kind = 'errors.accepted'`)).rows[0], 30_000, 200);
    expect(counted).toMatchObject({ lane: 'errors', kind: 'errors.accepted', value: 37 });
    expect(new Date(counted.occurred_at).toISOString()).toBe(at);

    const changes = json<{ items: { kind: string; title: string; link: string; health?: { before: number; after: number; check: { name: string } } }[] }>(
      await admin.call({ method: 'GET', url: `/api/history/what-changed?alertId=${alertId}` }),
    );
    const kinds = changes.items.map((c) => c.kind);
    expect(kinds).toContain('error-spike');
    const drop = changes.items.find((c) => c.kind === 'health-drop' && c.link.includes(databaseId))!;
    expect(drop.health).toMatchObject({ before: 95, after: 40, check: { name: 'query time' } });
    expect(changes.items.find((c) => c.kind === 'error-spike')!.link).toBe(`/errors?project=7&issue=${issueId}`);

    const events = json<{ items: { kind: string; subjectId: string }[]; nextCursor: string | null }>(
      await admin.call({ method: 'GET', url: `/api/history/events?from=${new Date(t - 30 * MIN).toISOString()}&to=${new Date(t + MIN).toISOString()}&lanes=alerts,errors&limit=1` }),
    );
    expect(events.items).toHaveLength(1);
    expect(events.nextCursor).not.toBeNull();
    const next = json<{ items: { kind: string }[] }>(
      await admin.call({ method: 'GET', url: `/api/history/events?from=${new Date(t - 30 * MIN).toISOString()}&to=${new Date(t + MIN).toISOString()}&lanes=alerts,errors&limit=1&cursor=${events.nextCursor}` }),
    );
    expect(next.items).toHaveLength(1);
    expect(json<{ code: string }>(await admin.call({ method: 'GET', url: `/api/history/timeline?from=${new Date(t).toISOString()}&to=${new Date(t - MIN).toISOString()}` }), 400).code).toBe('CONSOLE_WINDOW_INVALID');
  });

  it('gives a window on whole minutes from the per-minute totals, with the figures the events themselves give', async () => {
    // A tenant of its own: no other test's events in its window.
    const tenantId = `minutes-${randomUUID().slice(0, 8)}`;
    const databaseId = randomUUID();
    const base = Math.floor(Date.now() / MIN) * MIN - 30 * MIN;
    const at = (ms: number) => new Date(base + ms);
    const batch = (eventCount: number, when: Date) => ({ projectId: '9', eventCount, issueCount: 1, firstReceivedAt: when.toISOString(), lastReceivedAt: when.toISOString() });
    const alert = (alertId: string, severity: 'critical' | 'warning', when: Date) => ({ alertId, fingerprint: alertId, state: 'firing' as const, severity, labels: { alertname: 'MinuteTest' }, annotations: {}, changedAt: when.toISOString() });
    await producer.bus.publish(HealthScored, health(databaseId, 80, at(10_000)), { tenantId });
    await producer.bus.publish(HealthScored, health(databaseId, 70, at(50_000)), { tenantId });
    await producer.bus.publish(HealthScored, health(databaseId, 90, at(2 * MIN + 5_000)), { tenantId });
    await producer.bus.publish(ErrorEventsProcessed, batch(4, at(MIN + 1_000)), { tenantId });
    await producer.bus.publish(ErrorEventsProcessed, batch(6, at(MIN + 40_000)), { tenantId });
    // Delivered twice: the totals count it once, as the events do.
    const twice = buildEnvelope(AlertStateChanged, alert(randomUUID(), 'critical', at(3 * MIN + 30_000)), { tenantId, source: 'alerting' });
    const wire = encodeWire(AlertStateChanged, twice, {});
    await producer.bus.sendWire([wire, wire]);
    await producer.bus.publish(AlertStateChanged, alert(randomUUID(), 'warning', at(4 * MIN)), { tenantId });
    const recorded = async () => (await pool.query(`SELECT count(*)::int AS n FROM console.event_history WHERE tenant_id = $1`, [tenantId])).rows[0].n as number;
    await eventually(async () => (await recorded()) === 7, 60_000, 200);
    expect((await pool.query(`SELECT sum(count)::int AS n FROM console.event_history_minutes WHERE tenant_id = $1`, [tenantId])).rows[0].n).toBe(7);

    const window = { tenantId, from: new Date(base), to: new Date(base + 10 * MIN) };
    const byMinute = await timeline(pool, { ...window, buckets: 10 }); // 60 s buckets: read from the totals
    const byHalf = await timeline(pool, { ...window, buckets: 20 }); // 30 s buckets: read from the events
    expect([byMinute.bucketMs, byHalf.bucketMs]).toEqual([MIN, 30_000]);
    expect([byMinute.events, byHalf.events]).toEqual([7, 7]);
    // Every lane's counts per minute are its half-minute counts added in pairs.
    for (const lane of byMinute.lanes) {
      const half = byHalf.lanes.find((l) => l.lane === lane.lane)!;
      expect(lane.counts, lane.lane).toEqual(lane.counts.map((_, i) => half.counts[2 * i]!.map((c, s) => c + half.counts[2 * i + 1]![s]!)));
      expect(lane.total).toBe(half.total);
    }
    const lane = (t: typeof byMinute, name: string) => t.lanes.find((l) => l.lane === name)!;
    expect(lane(byMinute, 'alerts').counts.slice(3, 5)).toEqual([
      [0, 0, 0, 1],
      [0, 0, 1, 0],
    ]);
    // The health line is the lowest score of each bucket; the error rate is per minute at any bucket size.
    expect(lane(byMinute, 'database').series).toEqual([{ key: `health:${databaseId}`, label: `orders-${databaseId.slice(0, 4)} health`, unit: 'score', values: [70, null, 90, null, null, null, null, null, null, null] }]);
    expect(lane(byHalf, 'database').series[0]!.values.slice(0, 5)).toEqual([80, 70, null, null, 90]);
    expect(lane(byMinute, 'errors').series[0]!.values.slice(0, 3)).toEqual([null, 10, null]);
    expect(lane(byHalf, 'errors').series[0]!.values.slice(2, 4)).toEqual([8, 12]);

    // Which one each read: without the events, the totals still answer the whole-minute window.
    await pool.query(`DELETE FROM console.event_history WHERE tenant_id = $1`, [tenantId]);
    expect((await timeline(pool, { ...window, buckets: 10 })).events).toBe(7);
    expect((await timeline(pool, { ...window, buckets: 20 })).events).toBe(0);
  });
});

describe('incidents', () => {
  it('opens from alerts, keeps the activity, and records time to acknowledge and resolve', async () => {
    const startsAt = new Date(Date.now() - 10 * MIN).toISOString();
    const opened = json<{ id: string; status: string; severity: string; title: string; startedAt: string }>(
      await admin.call({ method: 'POST', url: '/api/incidents', payload: { alerts: [{ alertId: 'a-1', name: 'CheckoutDown', severity: 'critical', startsAt }, { alertId: 'a-2', name: 'LatencyHigh', severity: 'warning', startsAt: new Date().toISOString() }] } }),
      201,
    );
    expect(opened).toMatchObject({ status: 'open', severity: 'critical', title: 'CheckoutDown and 1 more', startedAt: startsAt });
    const me = (admin.session.user as { id: string }).id;
    json(await admin.call({ method: 'PATCH', url: `/api/incidents/${opened.id}`, payload: { ownerId: me, status: 'acknowledged' } }));
    json(await admin.call({ method: 'POST', url: `/api/incidents/${opened.id}/notes`, payload: { text: 'rolled back shop@1.0.1' } }), 201);
    const resolved = json<{ status: string; timeToAcknowledgeSeconds: number; timeToResolveSeconds: number; owner: { id: string }; activity: { kind: string; actor: { name: string } }[]; alerts: unknown[] }>(
      await admin.call({ method: 'PATCH', url: `/api/incidents/${opened.id}`, payload: { status: 'resolved' } }),
    );
    expect(resolved.status).toBe('resolved');
    expect(resolved.owner.id).toBe(me);
    expect(resolved.alerts).toHaveLength(2);
    expect(resolved.timeToAcknowledgeSeconds).toBeGreaterThanOrEqual(600);
    expect(resolved.timeToResolveSeconds).toBeGreaterThanOrEqual(resolved.timeToAcknowledgeSeconds);
    expect(resolved.timeToResolveSeconds).toBeLessThan(700);
    expect(resolved.activity.map((a) => a.kind)).toEqual(['opened', 'owner', 'status', 'note', 'status']);

    const list = json<{ items: { id: string; timeToResolveSeconds: number }[]; nextCursor: string | null }>(
      await admin.call({ method: 'GET', url: `/api/incidents?status=resolved&resolvedFrom=${new Date(Date.now() - MIN).toISOString()}` }),
    );
    expect(list.items.find((i) => i.id === opened.id)?.timeToResolveSeconds).toBe(resolved.timeToResolveSeconds);
    expect(json<{ items: { id: string }[] }>(await admin.call({ method: 'GET', url: `/api/incidents?alertId=a-2` })).items.map((i) => i.id)).toContain(opened.id);

    expect(json<{ code: string }>(await admin.call({ method: 'PATCH', url: `/api/incidents/${opened.id}`, payload: { status: 'acknowledged' } }), 409).code).toBe('CONSOLE_INCIDENT_TRANSITION');
    expect(json<{ code: string }>(await admin.call({ method: 'GET', url: `/api/incidents/${randomUUID()}` }), 404).code).toBe('CONSOLE_INCIDENT_NOT_FOUND');
    expect(json<{ code: string }>(await admin.call({ method: 'PATCH', url: `/api/incidents/${opened.id}`, payload: { ownerId: randomUUID() } }), 400).code).toBe('CONSOLE_INCIDENT_OWNER_INVALID');
    expect((await admin.call({ method: 'POST', url: '/api/incidents', payload: { alerts: [] }, csrf: false })).statusCode).toBe(403);
  });
});
