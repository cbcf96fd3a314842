// libs/events against the real broker: typed round trip, validation at publish,
// poison messages to the DLQ while the partition keeps moving.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, type IHeaders } from 'kafkajs';
import { EventValidationError, type Envelope } from '../src/index.js';
import { Ping, testBus, uniqueName } from './fixtures/harness.js';

const ns = uniqueName('bus').replace(/_/g, '-');
const producer = testBus(ns);
const consumer = testBus(ns, undefined, 'events-test-consumer');
const received: Envelope<{ key: string; n: number }>[] = [];
const headersOf = new Map<string, IHeaders>();
// What a message may carry in its Kafka headers now: the W3C trace context (only when a span is active).
const TRACE_HEADERS = ['traceparent', 'tracestate'];
let failUntil = new Map<number, number>();

beforeAll(async () => {
  await producer.ensureTopics([Ping]);
  consumer.subscribe(Ping, async (event, ctx) => {
    const remaining = failUntil.get(event.data.n) ?? 0;
    if (remaining >= ctx.attempt) throw new Error(`transient failure ${ctx.attempt}`);
    if (event.data.n === 666) throw new Error('always fails');
    headersOf.set(event.id, ctx.headers);
    received.push(event);
  });
  await consumer.start();
});

afterAll(async () => {
  await consumer.stop();
  await producer.stop();
});

const waitFor = async (pred: () => boolean, ms = 30_000) => {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('EventBus', () => {
  it('round-trips a typed event with its envelope', async () => {
    const sent = await producer.publish(Ping, { key: 'a', n: 1 }, { tenantId: 'acme' });
    await waitFor(() => received.some((e) => e.id === sent.id));
    const got = received.find((e) => e.id === sent.id)!;
    expect(got).toEqual({
      id: sent.id,
      type: 'Ping',
      version: 1,
      source: 'events-test',
      tenantId: 'acme',
      occurredAt: sent.occurredAt,
      data: { key: 'a', n: 1 },
    });
    // Type and version travel in the envelope only: no vigil-type / vigil-version headers.
    expect(Object.keys(headersOf.get(sent.id)!).filter((k) => !TRACE_HEADERS.includes(k))).toEqual([]);
  });

  it('still consumes messages written with the old catalog headers, dispatching on the envelope', async () => {
    const kafka = new Kafka({ clientId: 'old-headers', brokers: ['127.0.0.1:9092'], logLevel: 0 });
    const raw = kafka.producer();
    await raw.connect();
    const envelope = (n: number) => ({ id: crypto.randomUUID(), type: 'Ping', version: 1, source: 'old', tenantId: 't', occurredAt: new Date().toISOString(), data: { key: 'o', n } });
    const asBefore = envelope(11);
    const misleading = envelope(12); // headers that disagree with the envelope: the envelope decides
    await raw.send({
      topic: producer.physical(Ping.topic),
      messages: [
        { key: 'o', value: JSON.stringify(asBefore), headers: { 'vigil-type': 'Ping', 'vigil-version': '1' } },
        { key: 'o', value: JSON.stringify(misleading), headers: { 'vigil-type': 'Other', 'vigil-version': '9' } },
      ],
    });
    await raw.disconnect();
    await waitFor(() => received.some((e) => e.id === misleading.id));
    expect(received.filter((e) => e.data.key === 'o').map((e) => [e.id, e.data.n])).toEqual([
      [asBefore.id, 11],
      [misleading.id, 12],
    ]);
    expect(String(headersOf.get(asBefore.id)!['vigil-type'])).toBe('Ping');
  });

  it('rejects an invalid payload at publish with a clear error, sending nothing', async () => {
    const bad = { key: '', n: -1 } as { key: string; n: number };
    const err = await producer.publish(Ping, bad, { tenantId: 'acme' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EventValidationError);
    expect((err as Error).message).toMatch(/Ping v1.*\/key.*/);
    expect((err as Error).message).toMatch(/\/n/);
  });

  it('retries transient handler failures with backoff', async () => {
    failUntil = new Map([[7, 2]]);
    const sent = await producer.publish(Ping, { key: 'r', n: 7 }, { tenantId: 'acme' });
    await waitFor(() => received.some((e) => e.id === sent.id));
    expect(await consumer.metrics.retries.get()).toMatchObject({ values: [expect.objectContaining({ value: 2 })] });
  });

  it('dead-letters poison and exhausted messages with reason and origin; later messages are still processed', async () => {
    const kafka = new Kafka({ clientId: 'poison', brokers: ['127.0.0.1:9092'], logLevel: 0 });
    const raw = kafka.producer();
    await raw.connect();
    const topic = producer.physical(Ping.topic);
    await raw.send({ topic, messages: [{ key: 'p', value: '{not json' }] });
    await raw.send({
      topic,
      messages: [{ key: 'p', value: JSON.stringify({ id: crypto.randomUUID(), type: 'Ping', version: 1, source: 'x', tenantId: 't', occurredAt: new Date().toISOString(), data: { key: 'p', n: 'NaN' } }) }],
    });
    await raw.disconnect();
    const exhausted = await producer.publish(Ping, { key: 'p', n: 666 }, { tenantId: 'acme' });
    const after = await producer.publish(Ping, { key: 'p', n: 2 }, { tenantId: 'acme' });
    await waitFor(() => received.some((e) => e.id === after.id));

    const dlq: { value: string; headers: Record<string, string> }[] = [];
    const reader = kafka.consumer({ groupId: `${ns}-dlq-reader` });
    await reader.connect();
    await reader.subscribe({ topic: producer.physical(`${Ping.topic}.dlq`), fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => {
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
        dlq.push({ value: message.value?.toString() ?? '', headers });
      },
    });
    await waitFor(() => dlq.length >= 3);
    await reader.disconnect();

    const byReason = (r: string) => dlq.filter((m) => m.headers['vigil-dlq-reason'] === r);
    expect(byReason('validation')).toHaveLength(2);
    expect(byReason('validation').map((m) => m.headers['vigil-dlq-error']).join(' ')).toMatch(/not JSON/);
    expect(byReason('validation').map((m) => m.headers['vigil-dlq-error']).join(' ')).toMatch(/\/n/);
    const ex = byReason('retries-exhausted');
    expect(ex).toHaveLength(1);
    expect(JSON.parse(ex[0]!.value).id).toBe(exhausted.id);
    expect(ex[0]!.headers).toMatchObject({ 'vigil-dlq-origin-topic': 'test.ping', 'vigil-dlq-attempts': '3', 'vigil-dlq-error': 'always fails' });
    expect(Number(ex[0]!.headers['vigil-dlq-origin-offset'])).toBeGreaterThanOrEqual(0);
    expect(Object.keys(ex[0]!.headers).filter((k) => !k.startsWith('vigil-dlq-') && !TRACE_HEADERS.includes(k))).toEqual([]);
  });
});
