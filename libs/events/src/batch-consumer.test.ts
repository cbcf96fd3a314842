// The batch runner's byte budget, without a broker: a fetched kafkajs batch is handed over in
// windows of at most maxBatchBytes of message values (a larger message alone), in offset order,
// every offset resolved once; without a budget a batch is split by count only, as before.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Type } from '@sinclair/typebox';
import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import { Registry } from 'prom-client';
import { BatchRunner, windowEnd, type BatchSubscription } from './batch-consumer.js';
import { defineEvent, type Envelope } from './define.js';
import type { DeadLetters } from './dead-letter.js';
import type { EventLogger } from './bus.js';
import { createEventMetrics } from './metrics.js';

const Blob = defineEvent({
  type: 'Blob',
  topic: 'test.blob',
  version: 1,
  description: 'test event with a payload of a given size',
  key: (d) => String(d.n),
  schema: Type.Object({ n: Type.Integer(), pad: Type.String() }),
});

const quiet: EventLogger = { debug() {}, info() {}, warn() {}, error() {} };

function message(offset: number, padBytes: number, n = offset): KafkaMessage {
  const envelope = { id: randomUUID(), type: 'Blob', version: 1, source: 't', tenantId: 'acme', occurredAt: new Date().toISOString(), data: { n, pad: 'x'.repeat(padBytes) } };
  return { key: null, value: Buffer.from(JSON.stringify(envelope)), timestamp: '0', attributes: 0, offset: String(offset), headers: {} } as unknown as KafkaMessage;
}

async function run(messages: KafkaMessage[], sub: Partial<BatchSubscription>, dead: KafkaMessage[] = []) {
  const calls: { ns: number[]; bytes: number; offsets: string[] }[] = [];
  const resolved: string[] = [];
  const subscription: BatchSubscription = {
    def: Blob,
    maxBatch: 500,
    maxWaitMs: 50,
    maxBatchBytes: Infinity,
    handler: async (events, ctx) => {
      const list = events as Envelope<{ n: number }>[];
      const bytes = ctx.offsets.reduce((a, o) => a + messages.find((m) => m.offset === o)!.value!.length, 0);
      calls.push({ ns: list.map((e) => e.data.n), bytes, offsets: ctx.offsets });
    },
    ...sub,
  };
  const deadLetters = { send: async (origin: { message: KafkaMessage }) => void dead.push(origin.message) } as unknown as DeadLetters;
  const runner = new BatchRunner(deadLetters, createEventMetrics(new Registry()), quiet, { maxAttempts: 2, retryBaseMs: 1, retryMaxMs: 1 }, () => false);
  const payload = {
    batch: { topic: 'test.blob', partition: 0, highWatermark: String(messages.length), messages },
    resolveOffset: (o: string) => void resolved.push(o),
    heartbeat: async () => {},
    isRunning: () => true,
    isStale: () => false,
    commitOffsetsIfNecessary: async () => {},
  } as unknown as EachBatchPayload;
  await runner.process('g', 'test.blob', [subscription], payload);
  return { calls, resolved };
}

describe('BatchRunner byte budget', () => {
  it('never hands a handler more than maxBatchBytes of messages, unless one message alone is larger', async () => {
    // 40 messages of ~10 KB, two of ~70 KB among them; budget 32 KiB.
    const messages = Array.from({ length: 40 }, (_, i) => message(i, i === 7 || i === 30 ? 70_000 : 10_000));
    const { calls, resolved } = await run(messages, { maxBatchBytes: 32 * 1024 });
    for (const c of calls) {
      if (c.ns.length > 1) expect(c.bytes).toBeLessThanOrEqual(32 * 1024);
      else expect(c.ns).toHaveLength(1);
    }
    expect(calls.filter((c) => c.bytes > 32 * 1024).map((c) => c.ns)).toEqual([[7], [30]]);
    // Every message once, in offset order; windows are filled (3 × ~10 KB fit in 32 KiB).
    expect(calls.flatMap((c) => c.ns)).toEqual(messages.map((_, i) => i));
    expect(Math.max(...calls.map((c) => c.ns.length))).toBe(3);
    // Offsets resolved in order, through the last message.
    expect(resolved.map(Number)).toEqual([...resolved.map(Number)].sort((a, b) => a - b));
    expect(resolved.at(-1)).toBe('39');
  });

  it('keeps maxBatch as the count bound inside the budget, and splits by count only without a budget', async () => {
    const messages = Array.from({ length: 25 }, (_, i) => message(i, 100));
    const bounded = await run(messages, { maxBatch: 10, maxBatchBytes: 1 << 20 });
    expect(bounded.calls.map((c) => c.ns.length)).toEqual([10, 10, 5]);
    const unbounded = await run(messages, { maxBatch: 10 });
    expect(unbounded.calls.map((c) => c.ns.length)).toEqual([10, 10, 5]);
    const big = Array.from({ length: 6 }, (_, i) => message(i, 50_000));
    expect((await run(big, {})).calls.map((c) => c.ns.length)).toEqual([6]);
  });

  it('dead-letters an invalid message inside a window and resolves its offset with the rest', async () => {
    const messages = Array.from({ length: 6 }, (_, i) => message(i, 5_000));
    messages[2] = { ...messages[2]!, value: Buffer.from('{not json') } as KafkaMessage;
    const dead: KafkaMessage[] = [];
    const { calls, resolved } = await run(messages, { maxBatchBytes: 12_000 }, dead);
    expect(dead.map((m) => m.offset)).toEqual(['2']);
    expect(calls.flatMap((c) => c.ns)).toEqual([0, 1, 3, 4, 5]);
    expect(resolved.at(-1)).toBe('5');
  });
});

describe('BatchRunner handler calls', () => {
  it('gives each call its own array and matching offsets, so a retry or a bisection sees the whole set', async () => {
    const messages = Array.from({ length: 8 }, (_, i) => message(i, 10));
    const seen: { ns: number[]; offsets: string[]; attempt: number }[] = [];
    let beats = 0;
    const deadLetters = { send: async () => undefined } as unknown as DeadLetters;
    const runner = new BatchRunner(deadLetters, createEventMetrics(new Registry()), quiet, { maxAttempts: 2, retryBaseMs: 1, retryMaxMs: 1 }, () => false);
    const sub: BatchSubscription = {
      def: Blob,
      maxBatch: 500,
      maxWaitMs: 50,
      maxBatchBytes: Infinity,
      handler: async (events, ctx) => {
        const list = events as Envelope<{ n: number }>[];
        seen.push({ ns: list.map((e) => e.data.n), offsets: ctx.offsets, attempt: ctx.attempt });
        const { heartbeat } = ctx; // taken off the context, as a handler may
        await heartbeat();
        if (list.some((e) => e.data.n === 5)) {
          list.length = 0; // a handler that empties its array before failing
          throw new Error('poison 5');
        }
      },
    };
    const payload = {
      batch: { topic: 'test.blob', partition: 0, highWatermark: '8', messages },
      resolveOffset: () => undefined,
      heartbeat: async () => void beats++,
      isRunning: () => true,
      isStale: () => false,
      commitOffsetsIfNecessary: async () => {},
    } as unknown as EachBatchPayload;
    await runner.process('g', 'test.blob', [sub], payload);
    // Whole batch twice (attempts 1 and 2), then halves until 5 is alone.
    expect(seen.slice(0, 2).map((c) => [c.ns.length, c.attempt])).toEqual([
      [8, 1],
      [8, 2],
    ]);
    for (const c of seen) expect(c.offsets).toEqual(c.ns.map(String));
    expect(seen.filter((c) => !c.ns.includes(5)).flatMap((c) => c.ns)).toEqual([0, 1, 2, 3, 4, 6, 7]);
    expect(beats).toBeGreaterThanOrEqual(seen.length);
  });
});

describe('windowEnd', () => {
  const sized = (...sizes: number[]) => sizes.map((n) => ({ value: Buffer.alloc(n) }));
  it('fills up to the budget and the count, and takes at least one message', () => {
    expect(windowEnd(sized(4, 4, 4, 4), 0, 8, 10)).toBe(2);
    expect(windowEnd(sized(4, 4, 4, 4), 2, 8, 10)).toBe(4);
    expect(windowEnd(sized(20, 1), 0, 8, 10)).toBe(1);
    expect(windowEnd(sized(1, 1, 1, 1), 0, 100, 3)).toBe(3);
  });
});
