// GET /api/stream: events of the session's tenant only, Last-Event-ID resume, heartbeats, and
// the stream closing when its session is revoked. Events go through the real Kafka.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProcessingRecorded, SubjectRequestIssued, type EventBus } from '@vigil/events';
import { collect } from './events.js';
import { openStream, type SseConnection } from './sse.js';
import { signIn, startHarness, type Browser, type Harness } from './harness.js';

const PASSWORD = 'stream-test-passphrase-7';
let h: Harness;
let base: string;
let admin: Browser;
let producer: { bus: EventBus; stop(): Promise<void> };
const open: SseConnection[] = [];

const publish = (tenantId: string, activity: string) =>
  producer.bus.publish(ProcessingRecorded, { service: 'stream-test', activity, categories: [], recordedAt: new Date().toISOString() }, { tenantId });
const activityOf = (data: string) => (JSON.parse(data) as { data: { activity: string } }).data.activity;

async function stream(b: Browser, headers: Record<string, string> = {}) {
  const s = await openStream(`${base}/api/stream`, { cookie: b.cookie, ...headers });
  open.push(s);
  return s;
}

/** The console's consumer joins from the latest offset in the background: publish until it delivers. */
async function untilDelivered(s: SseConnection, tenantId: string, activity: string) {
  for (let i = 0; i < 60; i++) {
    await publish(tenantId, activity);
    const got = await s.waitFor((m) => m.event === 'ProcessingRecorded' && activityOf(m.data) === activity, 1_000).catch(() => undefined);
    if (got) return got;
  }
  throw new Error('the stream never delivered');
}

beforeAll(async () => {
  h = await startHarness('constream', { CONSOLE_STREAM_HEARTBEAT_MS: '400' });
  base = await h.app.listen({ host: '127.0.0.1', port: 0 });
  producer = await collect(h.env, []);
  const first = await signIn(h.app, 'admin@vigil.local', await h.adminPassword());
  await first.call({ method: 'POST', url: '/api/session/password', payload: { currentPassword: await h.adminPassword(), newPassword: PASSWORD } });
  admin = first;
});
afterAll(async () => {
  open.forEach((s) => s.close());
  await producer?.stop();
  await h?.close();
});

describe('live stream', () => {
  it('needs a session', async () => {
    const res = await fetch(`${base}/api/stream`);
    expect(res.status).toBe(401);
  });

  it("delivers the session tenant's events with ids, and none of another tenant's", async () => {
    const s = await stream(admin);
    expect(s.status).toBe(200);
    await s.waitFor((m) => m.event === 'ready');
    const warm = await untilDelivered(s, 'default', `warm-${randomUUID()}`);
    expect(Number(warm.id)).toBeGreaterThan(0);
    // Same topic and key, so one partition: the foreign event is processed before ours.
    const foreign = `foreign-${randomUUID()}`;
    const ours = `ours-${randomUUID()}`;
    await publish('tenant-b', foreign);
    await publish('default', ours);
    const got = await s.waitFor((m) => m.event === 'ProcessingRecorded' && activityOf(m.data) === ours);
    expect(Number(got.id)).toBeGreaterThan(Number(warm.id));
    expect(JSON.parse(got.data)).toMatchObject({ tenantId: 'default', type: 'ProcessingRecorded', source: 'console-test' });
    expect(s.messages.some((m) => m.data.includes(foreign))).toBe(false);
  });

  it('sends heartbeats', async () => {
    const s = await stream(admin);
    const hb = await s.waitFor((m) => m.event === 'heartbeat', 3_000);
    expect(Date.parse(JSON.parse(hb.data).at)).toBeGreaterThan(Date.now() - 5_000);
  });

  it('resumes after Last-Event-ID from the replay buffer', async () => {
    const s = await stream(admin);
    const first = await untilDelivered(s, 'default', `first-${randomUUID()}`);
    const missed = [`missed-a-${randomUUID()}`, `missed-b-${randomUUID()}`];
    for (const a of missed) await publish('default', a);
    await s.waitFor((m) => m.data.includes(missed[1]!));
    s.close();
    const resumed = await stream(admin, { 'last-event-id': first.id! });
    const a = await resumed.waitFor((m) => m.data.includes(missed[0]!));
    const b = await resumed.waitFor((m) => m.data.includes(missed[1]!));
    expect(Number(b.id)).toBeGreaterThan(Number(a.id));
    expect(resumed.messages.some((m) => m.id === first.id)).toBe(false);
  });

  it("forwards only what the screens need: a subject request's kind and deadline, never the subject's identifiers", async () => {
    const s = await stream(admin);
    await untilDelivered(s, 'default', `before-${randomUUID()}`);
    const requestId = randomUUID();
    const now = new Date();
    await producer.bus.publish(
      SubjectRequestIssued,
      {
        requestId,
        kind: 'erasure',
        identifiers: [{ type: 'email', value: 'jane.subject@example.org' }, { type: 'ip', value: '203.0.113.77' }],
        expectedServices: ['error-ingest'],
        deadline: new Date(now.getTime() + 30 * 86_400_000).toISOString(),
        issuedAt: now.toISOString(),
        holds: [{ category: 'invoices', ground: 'Art. 17(3)(b)', reason: 'Jane asked us to keep her invoices' }],
      },
      { tenantId: 'default' },
    );
    const got = await s.waitFor((m) => m.event === 'SubjectRequestIssued' && m.data.includes(requestId));
    expect(JSON.parse(got.data).data).toEqual({
      requestId,
      kind: 'erasure',
      expectedServices: ['error-ingest'],
      deadline: expect.any(String),
      issuedAt: expect.any(String),
    });
    for (const secret of ['jane.subject@example.org', '203.0.113.77', 'identifiers', 'Jane asked']) expect(got.data).not.toContain(secret);
  });

  it('closes every stream of a signed-out session with one listener, however many are open', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      const b = await signIn(h.app, 'admin@vigil.local', PASSWORD);
      const streams = await Promise.all(Array.from({ length: 15 }, () => stream(b)));
      await Promise.all(streams.map((s) => s.waitFor((m) => m.event === 'ready')));
      expect((await b.call({ method: 'DELETE', url: '/api/session' })).statusCode).toBe(204);
      await Promise.all(streams.map((s) => s.waitFor((m) => m.event === 'session-ended', 3_000)));
      await Promise.all(streams.map((s) => s.ended));
      await new Promise((r) => setImmediate(r));
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('closes when the session is signed out', async () => {
    const b = await signIn(h.app, 'admin@vigil.local', PASSWORD);
    const s = await stream(b);
    await s.waitFor((m) => m.event === 'ready');
    expect((await b.call({ method: 'DELETE', url: '/api/session' })).statusCode).toBe(204);
    await s.waitFor((m) => m.event === 'session-ended', 3_000);
    await s.ended;
  });
});
