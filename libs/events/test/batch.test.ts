// subscribeBatch against the real broker: batches of one partition in order, invalid messages to
// the DLQ while the rest proceeds, a poison message found by bisection, offsets committed only up
// to what took effect, and the batch inbox (handleOnceBatch) against PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import type pg from 'pg';
import { handleOnceBatch, type Envelope } from '../src/index.js';
import { createTestDatabase, dropTestDatabase, Ping, testBus, uniqueName } from './fixtures/harness.js';

type PingEnvelope = Envelope<{ key: string; n: number }>;
const ns = uniqueName('batch').replace(/_/g, '-');
const dbName = ns.replace(/-/g, '_');
const GROUP = 'events-batch-test';
const producer = testBus(ns);
const consumer = testBus(ns, undefined, GROUP);
const kafka = new Kafka({ clientId: 'batch-test', brokers: ['127.0.0.1:9092'], logLevel: logLevel.NOTHING });
const calls: { partition: number; offsets: string[]; ns: number[] }[] = [];
const applied: PingEnvelope[] = [];
const dlq: { value: string; headers: Record<string, string> }[] = [];
const dlqReader = kafka.consumer({ groupId: `${ns}-dlq-reader` });
let pool: pg.Pool;

beforeAll(async () => {
  pool = await createTestDatabase(dbName);
  await producer.ensureTopics([Ping]);
  consumer.subscribeBatch(
    Ping,
    async (events, ctx) => {
      calls.push({ partition: ctx.partition, offsets: ctx.offsets, ns: events.map((e) => e.data.n) });
      // All or nothing, like a transaction: a batch holding the poison message has no effect.
      if (events.some((e) => e.data.n === 666)) throw new Error('poison 666');
      applied.push(...events);
    },
    { maxBatch: 50, maxWaitMs: 50 },
  );
  await consumer.start();
  await dlqReader.connect();
  await dlqReader.subscribe({ topic: producer.physical(`${Ping.topic}.dlq`), fromBeginning: true });
  await dlqReader.run({
    eachMessage: async ({ message }) => {
      const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
      dlq.push({ value: message.value?.toString() ?? '', headers });
    },
  });
}, 120_000);

afterAll(async () => {
  await dlqReader.disconnect();
  await consumer.stop();
  await producer.stop();
  await pool.end();
  await dropTestDatabase(dbName);
});

const waitFor = async (pred: () => boolean | Promise<boolean>, ms = 60_000) => {
  const end = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
};
const ping = (key: string, n: number) => ({ data: { key, n }, opts: { tenantId: 'acme' } });
const ours = (m: { headers: Record<string, string> }) => m.headers['vigil-dlq-group'] === GROUP;
const parsed = (value: string): Partial<PingEnvelope> | undefined => {
  try {
    return JSON.parse(value) as Partial<PingEnvelope>;
  } catch {
    return undefined; // the '{not json' message
  }
};
const idOf = (value: string) => parsed(value)?.id;

describe('subscribeBatch', () => {
  it('hands over validated envelopes of one partition in offset order, in batches of at most maxBatch', async () => {
    const sent = await producer.publishMany(Ping, Array.from({ length: 300 }, (_, n) => ping(`k${n % 6}`, n)));
    await waitFor(() => sent.every((s) => applied.some((a) => a.id === s.id)));
    expect(applied.filter((a) => sent.some((s) => s.id === a.id))).toHaveLength(300);
    const mine = calls.filter((c) => c.ns.some((n) => n < 300));
    for (const c of mine) {
      expect(c.ns.length).toBeLessThanOrEqual(50);
      expect(c.offsets.map(Number)).toEqual([...c.offsets.map(Number)].sort((a, b) => a - b));
    }
    expect(Math.max(...mine.map((c) => c.ns.length))).toBeGreaterThan(1);
    const byPartition = new Map<number, number[]>();
    for (const c of mine) byPartition.set(c.partition, [...(byPartition.get(c.partition) ?? []), ...c.offsets.map(Number)]);
    for (const offsets of byPartition.values()) expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    for (let k = 0; k < 6; k++) {
      const seen = applied.filter((a) => a.data.key === `k${k}`).map((a) => a.data.n);
      expect(seen).toEqual([...seen].sort((a, b) => a - b));
    }
    const sizes = (await consumer.metrics.batchSize.get()).values.find((v) => v.metricName === 'vigil_events_batch_size_count');
    expect(sizes?.value).toBeGreaterThan(0);
    expect((await consumer.metrics.batchDuration.get()).values.some((v) => v.metricName === 'vigil_events_batch_duration_seconds_count' && v.value > 0)).toBe(true);
  });

  it('dead-letters a message that fails validation; the rest of its batch proceeds', async () => {
    const raw = kafka.producer();
    await raw.connect();
    const envelope = (n: unknown) => JSON.stringify({ id: crypto.randomUUID(), type: 'Ping', version: 1, source: 'x', tenantId: 't', occurredAt: new Date().toISOString(), data: { key: 'v', n } });
    const before = envelope(1001);
    const after = envelope(1002);
    await raw.send({ topic: producer.physical(Ping.topic), messages: [{ key: 'v', value: before }, { key: 'v', value: envelope('NaN') }, { key: 'v', value: '{not json' }, { key: 'v', value: after }] });
    await raw.disconnect();
    await waitFor(() => [1001, 1002].every((n) => applied.some((a) => a.data.n === n)));
    await waitFor(() => dlq.filter(ours).filter((m) => m.headers['vigil-dlq-reason'] === 'validation').length >= 2);
    const invalid = dlq.filter(ours).filter((m) => m.headers['vigil-dlq-reason'] === 'validation');
    expect(invalid).toHaveLength(2);
    expect(invalid.map((m) => m.headers['vigil-dlq-error']).join(' ')).toMatch(/\/n/);
    expect(invalid.map((m) => m.headers['vigil-dlq-error']).join(' ')).toMatch(/not JSON/);
  });

  it('retries a failing batch, bisects it, and dead-letters only the poison message with its reason', async () => {
    const sent = await producer.publishMany(Ping, Array.from({ length: 21 }, (_, i) => ping('poison', i === 10 ? 666 : 2000 + i)));
    const poison = sent[10]!;
    const good = sent.filter((s) => s.id !== poison.id);
    await waitFor(() => dlq.some((m) => ours(m) && idOf(m.value) === poison.id));
    await waitFor(() => good.every((s) => applied.some((a) => a.id === s.id)));
    expect(applied.filter((a) => good.some((s) => s.id === a.id))).toHaveLength(good.length); // each once
    expect(applied.some((a) => a.id === poison.id)).toBe(false);
    const copies = dlq.filter((m) => ours(m) && idOf(m.value) === poison.id);
    expect(copies).toHaveLength(1);
    expect(copies[0]!.headers).toMatchObject({ 'vigil-dlq-reason': 'retries-exhausted', 'vigil-dlq-error': 'poison 666', 'vigil-dlq-attempts': '3', 'vigil-dlq-origin-topic': 'test.ping' });
    expect(dlq.filter(ours).some((m) => good.some((s) => s.id === idOf(m.value)))).toBe(false);
    const bisections = (await consumer.metrics.bisections.get()).values[0]?.value ?? 0;
    expect(bisections).toBeGreaterThan(0);
  });

  it('commits offsets only up to what took effect while a batch keeps failing', async () => {
    const stuck = testBus(ns, undefined, 'events-batch-stuck');
    const effects: PingEnvelope[] = [];
    let attemptsOnBlocked = 0;
    stuck.subscribeBatch(
      Ping,
      async (events) => {
        const mine = events.filter((e) => e.data.key === 'stuck');
        if (mine.some((e) => e.data.n === 900)) {
          attemptsOnBlocked++;
          throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }); // database down: retried without limit
        }
        effects.push(...mine);
      },
      { maxBatch: 50, maxWaitMs: 50 },
    );
    await stuck.start();
    const first = await producer.publishMany(Ping, [3000, 3001, 3002].map((n) => ping('stuck', n)));
    await waitFor(() => first.every((s) => effects.some((e) => e.id === s.id)));
    await producer.publishMany(Ping, [ping('stuck', 900), ping('stuck', 3003)]);
    await waitFor(() => attemptsOnBlocked >= 3);
    await stuck.stop();

    const admin = kafka.admin();
    await admin.connect();
    try {
      const topic = producer.physical(Ping.topic);
      const [committed] = await admin.fetchOffsets({ groupId: producer.physical('events-batch-stuck'), topics: [topic] });
      // Find the partition of key 'stuck' and the offset of the blocked message by reading it back.
      const reader = kafka.consumer({ groupId: `${ns}-offset-reader` });
      const located: { partition: number; offset: string; n: number }[] = [];
      await reader.connect();
      await reader.subscribe({ topic, fromBeginning: true });
      await reader.run({
        eachMessage: async ({ partition, message }) => {
          const e = parsed(message.value?.toString() ?? '');
          if (e?.data?.key === 'stuck') located.push({ partition, offset: message.offset, n: e.data.n });
        },
      });
      await waitFor(() => located.length >= 5);
      await reader.disconnect();
      const blocked = located.find((l) => l.n === 900)!;
      const partition = committed!.partitions.find((p) => p.partition === blocked.partition)!;
      expect(partition.offset).toBe(blocked.offset); // next to read = the blocked message: nothing after it is committed
      expect(effects.map((e) => e.data.n)).toEqual([3000, 3001, 3002]);
    } finally {
      await admin.disconnect();
    }
  });

  it('handleOnceBatch applies a redelivered batch once, in the same transaction as its effects', async () => {
    await pool.query('CREATE TABLE IF NOT EXISTS evt.batch_effects (event_id uuid NOT NULL, n integer NOT NULL)');
    const inbox = { pool, schema: 'evt', consumer: 'batch-inbox-test' };
    const events = [1, 2, 3].map((n) => ({ id: crypto.randomUUID(), data: { n } }));
    const apply = (list: typeof events) =>
      handleOnceBatch(inbox, list, async (tx, fresh) => {
        await tx.query('INSERT INTO evt.batch_effects SELECT * FROM unnest($1::uuid[], $2::int[])', [fresh.map((e) => e.id), fresh.map((e) => e.data.n)]);
      });
    expect((await apply(events.slice(0, 2))).map((e) => e.data.n)).toEqual([1, 2]);
    // Redelivery overlapping the first batch, with a duplicate inside the batch itself.
    expect((await apply([events[1]!, events[2]!, events[2]!, events[0]!])).map((e) => e.data.n)).toEqual([3]);
    expect(await apply(events)).toEqual([]);
    // An effect that throws leaves no inbox row behind: the batch is applied on the next delivery.
    const late = { id: crypto.randomUUID(), data: { n: 4 } };
    await expect(handleOnceBatch(inbox, [late], async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect((await apply([late])).map((e) => e.data.n)).toEqual([4]);
    const { rows } = await pool.query('SELECT n, count(*)::int AS c FROM evt.batch_effects GROUP BY n ORDER BY n');
    expect(rows).toEqual([1, 2, 3, 4].map((n) => ({ n, c: 1 })));
  });
});
