// bench:events — libs/events publish->consume against raw kafkajs, side by side in one
// run on the same broker, with the same message size, batch size and partitions.
//   1. throughput: N messages sent in batches, consumed by a group; msgs/s end to end.
//   2. latency: 1,000 msg/s for a fixed time, one publish per message; p50/p99 from
//      publish call to handler.
// The raw pipeline uses the same producer durability settings (acks=all, idempotent)
// and the same consumer settings, so the ratio is the cost of the library itself:
// validation, envelope, tracing, metrics, retry/DLQ bookkeeping.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Type } from '@sinclair/typebox';
import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import { Registry } from 'prom-client';
import { defineEvent, EventBus, type EventLogger } from '@vigil/events';

const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const N = Number(process.env.BENCH_MESSAGES ?? 50_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 500);
const PARTITIONS = Number(process.env.BENCH_PARTITIONS ?? 3);
const PAYLOAD_BYTES = Number(process.env.BENCH_PAYLOAD_BYTES ?? 1024);
const RATE = 1_000;
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 10);
const run = randomBytes(3).toString('hex');
const filler = randomBytes(PAYLOAD_BYTES).toString('base64').slice(0, PAYLOAD_BYTES);

const BenchEvent = defineEvent({
  type: 'BenchMessage',
  topic: 'bench.messages',
  version: 1,
  description: 'benchmark payload',
  key: (d) => d.key,
  schema: Type.Object({ key: Type.String(), seq: Type.Integer(), sentAt: Type.Number(), body: Type.String() }),
});

const quiet: EventLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: (o, m) => console.error(m, o) };
const now = () => performance.timeOrigin + performance.now();
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

function newBus(ns: string, service: string) {
  return new EventBus({ brokers: BROKERS, service, logger: quiet, registry: new Registry(), partitions: PARTITIONS, namespace: ns });
}

interface Sink {
  count: number;
  latencies: number[];
  target: number;
  done?: () => void;
}
const onMessage = (sink: Sink, sentAt: number) => {
  sink.latencies.push(now() - sentAt);
  if (++sink.count >= sink.target) sink.done?.();
};
const waitFor = (sink: Sink, target: number) =>
  new Promise<void>((resolve, reject) => {
    sink.target = target;
    if (sink.count >= target) return resolve();
    const t = setTimeout(() => reject(new Error(`only ${sink.count}/${target} consumed`)), 300_000);
    sink.done = () => {
      clearTimeout(t);
      resolve();
    };
  });

const msg = (seq: number) => ({ key: `k${seq % 64}`, seq, sentAt: now(), body: filler });

async function paced(send: (seq: number) => Promise<unknown>): Promise<number> {
  // 1,000 msg/s in ticks of 10 ms (10 messages a tick); every publish is awaited.
  const total = RATE * LATENCY_SECONDS;
  const inflight: Promise<unknown>[] = [];
  const start = now();
  for (let seq = 0; seq < total; seq++) {
    const due = start + (seq * 1000) / RATE;
    const wait = due - now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inflight.push(send(seq));
  }
  await Promise.all(inflight);
  return total;
}

async function benchEvents() {
  const ns = `bench-ev-${run}`;
  const producer = newBus(ns, 'bench-producer');
  const consumer = newBus(ns, 'bench-consumer');
  await producer.ensureTopics([BenchEvent]);
  const sink: Sink = { count: 0, latencies: [], target: Infinity };
  consumer.subscribe(BenchEvent, async (e) => onMessage(sink, e.data.sentAt));
  await consumer.start();
  await producer.publish(BenchEvent, msg(-1), { tenantId: 'bench' }); // warm up connections
  await waitFor(sink, 1);

  sink.count = 0;
  sink.latencies = [];
  const t0 = now();
  for (let i = 0; i < N; i += BATCH) {
    const items = Array.from({ length: Math.min(BATCH, N - i) }, (_, j) => ({ data: msg(i + j), opts: { tenantId: 'bench' } }));
    await producer.publishMany(BenchEvent, items);
  }
  await waitFor(sink, N);
  const throughput = N / ((now() - t0) / 1000);

  sink.count = 0;
  sink.latencies = [];
  const total = await paced((seq) => producer.publish(BenchEvent, msg(seq), { tenantId: 'bench' }));
  await waitFor(sink, total);
  const lat = [...sink.latencies].sort((a, b) => a - b);
  await consumer.stop();
  await producer.stop();
  return { throughput, p50: pct(lat, 50), p99: pct(lat, 99) };
}

async function benchRaw() {
  const topic = `bench-raw-${run}.messages`;
  const kafka = new Kafka({ clientId: 'bench-raw', brokers: BROKERS, logLevel: logLevel.ERROR });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }], waitForLeaders: true });
  await admin.disconnect();
  const producer: Producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const sink: Sink = { count: 0, latencies: [], target: Infinity };
  const consumer = kafka.consumer({ groupId: `bench-raw-${run}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
      for (const m of batch.messages) {
        const value = JSON.parse(m.value!.toString()) as { sentAt: number };
        onMessage(sink, value.sentAt);
        resolveOffset(m.offset);
        await heartbeat();
      }
    },
  });
  const send = (items: ReturnType<typeof msg>[]) =>
    producer.send({ topic, acks: -1, messages: items.map((m) => ({ key: m.key, value: JSON.stringify(m) })) });
  await send([msg(-1)]);
  await waitFor(sink, 1);

  sink.count = 0;
  sink.latencies = [];
  const t0 = now();
  for (let i = 0; i < N; i += BATCH) await send(Array.from({ length: Math.min(BATCH, N - i) }, (_, j) => msg(i + j)));
  await waitFor(sink, N);
  const throughput = N / ((now() - t0) / 1000);

  sink.count = 0;
  sink.latencies = [];
  const total = await paced((seq) => send([msg(seq)]));
  await waitFor(sink, total);
  const lat = [...sink.latencies].sort((a, b) => a - b);
  await consumer.disconnect();
  await producer.disconnect();
  return { throughput, p50: pct(lat, 50), p99: pct(lat, 99) };
}

console.log(`bench:events — ${N} messages of ${PAYLOAD_BYTES} B payload, batches of ${BATCH}, ${PARTITIONS} partitions; latency at ${RATE} msg/s for ${LATENCY_SECONDS} s`);
const raw = await benchRaw();
console.log(`raw kafkajs : ${round(raw.throughput, 0)} msgs/s; at ${RATE} msg/s p50 ${round(raw.p50)} ms, p99 ${round(raw.p99)} ms`);
const ev = await benchEvents();
console.log(`libs/events : ${round(ev.throughput, 0)} msgs/s; at ${RATE} msg/s p50 ${round(ev.p50)} ms, p99 ${round(ev.p99)} ms`);
const ratio = ev.throughput / raw.throughput;
console.log(`ratio libs/events / raw = ${ratio.toFixed(2)} (goal >= 0.8); p99 ${round(ev.p99)} ms (goal <= 50 ms)`);
console.log(
  JSON.stringify({
    events_per_s: round(ev.throughput, 0),
    raw_per_s: round(raw.throughput, 0),
    ratio: round(ratio, 2),
    p50_ms: round(ev.p50, 1),
    p99_ms: round(ev.p99, 1),
    raw_p50_ms: round(raw.p50, 1),
    raw_p99_ms: round(raw.p99, 1),
    messages: N,
    batch: BATCH,
    partitions: PARTITIONS,
    payload_bytes: PAYLOAD_BYTES,
  }),
);
process.exit(0);
