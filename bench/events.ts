// bench:events — libs/events publish->consume against raw kafkajs, side by side in one
// run on the same broker, with the same message size, batch size and partitions.
//   1. throughput: N messages sent in batches, consumed by a group; msgs/s end to end.
//   2. latency: 1,000 msg/s for a fixed time, one publish per message; p50/p99 from
//      publish call to handler.
// The raw pipeline uses the same producer durability settings (acks=all, idempotent)
// and the same consumer settings, so the ratio is the cost of the library itself:
// validation, envelope, tracing, metrics, retry/DLQ bookkeeping.
// Two paths, each against its raw kafkajs counterpart in the same run:
//   single — bus.subscribe (one handler call per message) vs raw eachBatch resolving each message;
//   batch  — bus.subscribeBatch (one handler call per batch) vs raw eachBatch handling the batch at once.
// Like with like: the raw consumer gets the library's own consumer settings (session timeout,
// heartbeat interval, commit interval, fetch wait: kafkaConsumerSettings) and the raw producer the
// library's producer settings (idempotent, one request in flight, acks=all); both sides JSON-parse
// each message and hand it to the same sink. What the library adds is its own work: the envelope
// (id, type, version, source, tenant, time) in the value, validation, dispatch by type, metrics,
// retry/DLQ bookkeeping (no headers: the bench registers no tracing SDK, so no spans and no traceparent).
// Env knobs for a quick check or a profile (the defaults are the real run): BENCH_MESSAGES,
// BENCH_LATENCY_SECONDS, BENCH_MODES (single,batch), BENCH_SIDES (raw,events).
import { randomBytes } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Type } from '@sinclair/typebox';
import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import { Registry } from 'prom-client';
import { defineEvent, EventBus, kafkaConsumerSettings, kafkaProducerSettings, type EventLogger } from '@vigil/events';

const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const N = Number(process.env.BENCH_MESSAGES ?? 50_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 500);
const PARTITIONS = Number(process.env.BENCH_PARTITIONS ?? 3);
const PAYLOAD_BYTES = Number(process.env.BENCH_PAYLOAD_BYTES ?? 1024);
const RATE = 1_000;
const MAX_BATCH = Number(process.env.BENCH_MAX_BATCH ?? 500);
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 10);
const MODES = (process.env.BENCH_MODES ?? 'single,batch').split(',') as Mode[];
const SIDES = (process.env.BENCH_SIDES ?? 'raw,events').split(',');
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
// CPU time of this process (producer and consumer both run here) per message of the throughput
// run: on a shared, loaded machine it moves less than wall-clock throughput does.
const cpuPerMessage = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / N;
};
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

type Mode = 'single' | 'batch';

async function benchEvents(mode: Mode) {
  const ns = `bench-ev-${mode}-${run}`;
  const producer = newBus(ns, 'bench-producer');
  const consumer = newBus(ns, 'bench-consumer');
  await producer.ensureTopics([BenchEvent]);
  const sink: Sink = { count: 0, latencies: [], target: Infinity };
  if (mode === 'single') consumer.subscribe(BenchEvent, async (e) => onMessage(sink, e.data.sentAt));
  else consumer.subscribeBatch(BenchEvent, async (events) => events.forEach((e) => onMessage(sink, e.data.sentAt)), { maxBatch: MAX_BATCH, maxWaitMs: 100 });
  await consumer.start();
  await producer.publish(BenchEvent, msg(-1), { tenantId: 'bench' }); // warm up connections
  await waitFor(sink, 1);

  sink.count = 0;
  sink.latencies = [];
  const cpu0 = process.cpuUsage();
  const t0 = now();
  for (let i = 0; i < N; i += BATCH) {
    const items = Array.from({ length: Math.min(BATCH, N - i) }, (_, j) => ({ data: msg(i + j), opts: { tenantId: 'bench' } }));
    await producer.publishMany(BenchEvent, items);
  }
  await waitFor(sink, N);
  const throughput = N / ((now() - t0) / 1000);
  const cpuUs = cpuPerMessage(cpu0);

  sink.count = 0;
  sink.latencies = [];
  const total = await paced((seq) => producer.publish(BenchEvent, msg(seq), { tenantId: 'bench' }));
  await waitFor(sink, total);
  const lat = [...sink.latencies].sort((a, b) => a - b);
  await consumer.stop();
  await producer.stop();
  return { throughput, cpuUs, p50: pct(lat, 50), p99: pct(lat, 99) };
}

async function benchRaw(mode: Mode) {
  const topic = `bench-raw-${mode}-${run}.messages`;
  const kafka = new Kafka({ clientId: 'bench-raw', brokers: BROKERS, logLevel: logLevel.ERROR });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }], waitForLeaders: false });
  // Like ensureTopics on the library side: poll until every partition has a leader (a loaded broker
  // answers "does not host this topic-partition" for a while after creation).
  for (let tries = 0; ; tries++) {
    const meta = await admin.fetchTopicMetadata({ topics: [topic] }).catch(() => undefined);
    if (meta?.topics[0]?.partitions.length === PARTITIONS && meta.topics[0].partitions.every((p) => p.leader >= 0)) break;
    if (tries > 600) throw new Error(`${topic}: no partition leaders after 60 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await admin.disconnect();
  const producer: Producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, ...kafkaProducerSettings });
  await producer.connect();
  const sink: Sink = { count: 0, latencies: [], target: Infinity };
  // The library's consumer settings; a batch subscription's maxWaitMs (100 here) becomes the fetch wait.
  const consumer = kafka.consumer({ groupId: `bench-raw-${mode}-${run}`, ...kafkaConsumerSettings(mode === 'batch' ? 100 : undefined) });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommit: true,
    autoCommitInterval: 1_000,
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
      if (mode === 'batch') {
        for (let i = 0; i < batch.messages.length; i += MAX_BATCH) {
          const chunk = batch.messages.slice(i, i + MAX_BATCH);
          for (const m of chunk) onMessage(sink, (JSON.parse(m.value!.toString()) as { sentAt: number }).sentAt);
          resolveOffset(chunk.at(-1)!.offset);
          await heartbeat();
        }
        return;
      }
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
  const cpu0 = process.cpuUsage();
  const t0 = now();
  for (let i = 0; i < N; i += BATCH) await send(Array.from({ length: Math.min(BATCH, N - i) }, (_, j) => msg(i + j)));
  await waitFor(sink, N);
  const throughput = N / ((now() - t0) / 1000);
  const cpuUs = cpuPerMessage(cpu0);

  sink.count = 0;
  sink.latencies = [];
  const total = await paced((seq) => send([msg(seq)]));
  await waitFor(sink, total);
  const lat = [...sink.latencies].sort((a, b) => a - b);
  await consumer.disconnect();
  await producer.disconnect();
  return { throughput, cpuUs, p50: pct(lat, 50), p99: pct(lat, 99) };
}

const load = loadavg().map((l) => round(l, 2));
console.log(`bench:events — ${N} messages of ${PAYLOAD_BYTES} B payload, batches of ${BATCH}, ${PARTITIONS} partitions; latency at ${RATE} msg/s for ${LATENCY_SECONDS} s`);
console.log(`machine: ${availableParallelism()} CPUs, load average ${load.join(' / ')} (1/5/15 min) at start`);
const results: Record<string, unknown> = {};
const goals = { single: 0.8, batch: 0.9 };
const skipped = { throughput: NaN, cpuUs: NaN, p50: NaN, p99: NaN };
for (const mode of MODES) {
  const raw = SIDES.includes('raw') ? await benchRaw(mode) : skipped;
  console.log(`[${mode}] raw kafkajs : ${round(raw.throughput, 0)} msgs/s, ${round(raw.cpuUs)} µs CPU/msg; at ${RATE} msg/s p50 ${round(raw.p50)} ms, p99 ${round(raw.p99)} ms`);
  const ev = SIDES.includes('events') ? await benchEvents(mode) : skipped;
  console.log(`[${mode}] libs/events : ${round(ev.throughput, 0)} msgs/s, ${round(ev.cpuUs)} µs CPU/msg; at ${RATE} msg/s p50 ${round(ev.p50)} ms, p99 ${round(ev.p99)} ms`);
  const ratio = ev.throughput / raw.throughput;
  console.log(`[${mode}] ratio libs/events / raw = ${ratio.toFixed(2)} (goal >= ${goals[mode]}); p99 ${round(ev.p99)} ms (goal <= 50 ms)`);
  results[mode] = {
    events_per_s: round(ev.throughput, 0),
    raw_per_s: round(raw.throughput, 0),
    ratio: round(ratio, 2),
    cpu_us_per_msg: round(ev.cpuUs, 1),
    raw_cpu_us_per_msg: round(raw.cpuUs, 1),
    ratio_goal: goals[mode],
    p50_ms: round(ev.p50, 1),
    p99_ms: round(ev.p99, 1),
    raw_p50_ms: round(raw.p50, 1),
    raw_p99_ms: round(raw.p99, 1),
  };
}
console.log(
  JSON.stringify({
    ...results,
    p99_goal_ms: 50,
    messages: N,
    publish_batch: BATCH,
    max_batch: MAX_BATCH,
    partitions: PARTITIONS,
    payload_bytes: PAYLOAD_BYTES,
    latency_seconds: LATENCY_SECONDS,
    cpus: availableParallelism(),
    load_avg_start: load,
    load_avg_end: loadavg().map((l) => round(l, 2)),
  }),
);
process.exit(0);
