// Batch consumption: a handler gets the validated envelopes of one partition, in offset order,
// many at a time, so a consumer can apply them in one transaction. Failure semantics (README):
// invalid messages go to the DLQ and the rest proceeds; a failing batch is retried once, then
// bisected until the poison message is alone, which is retried and dead-lettered with its reason;
// an offset is resolved only once every message up to it took effect or went to the DLQ.
import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import type { Static, TSchema } from '@sinclair/typebox';
import { parseEnvelope, validate } from './codec.js';
import type { AnyEventDefinition, Envelope } from './define.js';
import type { DeadLetters } from './dead-letter.js';
import { EventValidationError, isInfrastructureError, NonRetriableError } from './errors.js';
import type { EventLogger } from './bus.js';
import type { EventMetrics } from './metrics.js';
import type { RetryPolicy } from './consumer.js';
import { inConsumerSpan, tracingEnabled } from './tracing.js';

export interface BatchContext {
  topic: string;
  partition: number;
  /** Kafka offsets of the envelopes, same order. */
  offsets: string[];
  /** 1 for the first try of these envelopes; higher on a retry of the same set. */
  attempt: number;
  log: EventLogger;
  /** Keeps the group membership alive during a long batch. */
  heartbeat(): Promise<void>;
}

export type BatchHandler<S extends TSchema> = (events: Envelope<Static<S>>[], ctx: BatchContext) => Promise<void>;

export interface SubscribeBatchOptions {
  /** Most envelopes per handler call (default 500). */
  maxBatch?: number;
  /** Most message bytes (Kafka values, as fetched) per handler call (default: no limit). Bounds the
   *  memory a batch of large payloads holds: envelopes are parsed one budget's worth at a time, and a
   *  single message larger than the budget is handed over alone. */
  maxBatchBytes?: number;
  /** Longest the broker holds a fetch open waiting for data (default 100 ms). Batches form from
   *  what accumulated while the previous one ran, so an idle consumer adds no delay. */
  maxWaitMs?: number;
  /** Consumer group; defaults to the service name. */
  group?: string;
  fromBeginning?: boolean;
}

export interface BatchSubscription {
  def: AnyEventDefinition;
  handler: BatchHandler<TSchema>;
  maxBatch: number;
  maxWaitMs: number;
  maxBatchBytes: number;
}

interface Item {
  index: number;
  message: KafkaMessage;
  envelope: Envelope;
  sub: BatchSubscription;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The end (exclusive) of the window starting at `from`: at most `most` messages and `budget` value
 *  bytes, and at least one message (one larger than the budget goes alone). */
export function windowEnd(messages: readonly Pick<KafkaMessage, 'value'>[], from: number, budget: number, most: number): number {
  let bytes = 0;
  let to = from;
  while (to < messages.length && to - from < most) {
    const size = messages[to]!.value?.length ?? 0;
    if (to > from && bytes + size > budget) break;
    bytes += size;
    to++;
  }
  return to;
}

export class BatchRunner {
  constructor(
    private readonly deadLetters: DeadLetters,
    private readonly metrics: EventMetrics,
    private readonly log: EventLogger,
    private readonly retry: RetryPolicy,
    private readonly stopping: () => boolean,
  ) {}

  /** One kafkajs batch (one partition) for the batch subscriptions of `topic` in `group`. */
  async process(group: string, topic: string, subs: readonly BatchSubscription[], payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, isRunning, isStale, commitOffsetsIfNecessary } = payload;
    const { partition } = batch;
    const labels = { topic, group };
    // One child logger per kafkajs batch, built only when something is logged.
    let child: EventLogger | undefined;
    const log = (): EventLogger => (child ??= this.log.child?.({ topic, partition, group }) ?? this.log);
    const messages: KafkaMessage[] = [];
    for (const m of batch.messages) {
      if (!isRunning() || isStale()) break;
      messages.push(m);
    }
    if (!messages.length) return;

    // Windows of at most the smallest byte budget among the topic's subscriptions (and the largest
    // maxBatch): only one window's envelopes are parsed and held at a time.
    const budget = Math.min(...subs.map((s) => s.maxBatchBytes));
    const most = Math.max(...subs.map((s) => s.maxBatch));
    const settle = (upTo: number) => resolveOffset(messages[upTo]!.offset);
    let done = -1;
    for (let from = 0; from < messages.length; ) {
      if (from > 0 && (!isRunning() || isStale())) break;
      const to = budget === Infinity ? messages.length : windowEnd(messages, from, budget, most);
      await this.processWindow(group, topic, partition, subs, messages, from, to, { log, heartbeat, settle, commitOffsetsIfNecessary });
      done = to - 1;
      from = to;
    }
    if (done >= 0) this.metrics.lag.set({ ...labels, partition: String(partition) }, Math.max(0, Number(batch.highWatermark) - Number(messages[done]!.offset) - 1));
  }

  /** messages[from, to): parse and validate, then hand over runs of one subscription; settles through to - 1. */
  private async processWindow(
    group: string,
    topic: string,
    partition: number,
    subs: readonly BatchSubscription[],
    messages: KafkaMessage[],
    from: number,
    to: number,
    o: { log: () => EventLogger; heartbeat: () => Promise<void>; settle: (index: number) => void; commitOffsetsIfNecessary: () => Promise<void> },
  ): Promise<void> {
    const { log, heartbeat, settle } = o;
    const labels = { topic, group };
    // Pass 1: parse and validate. Invalid messages are dead-lettered now (their DLQ copy does not
    // depend on the others); their offsets are resolved with the valid messages around them.
    const items: Item[] = [];
    let ignored = 0;
    for (let index = from; index < to; index++) {
      const message = messages[index]!;
      try {
        const envelope = parseEnvelope(message.value);
        let sameType = false;
        let sub: BatchSubscription | undefined;
        for (const s of subs) {
          if (s.def.type !== envelope.type) continue;
          sameType = true;
          if (s.def.version === envelope.version) {
            sub = s;
            break;
          }
        }
        if (!sameType) {
          ignored++;
          continue;
        }
        if (!sub) throw new EventValidationError(envelope.type, [`unsupported version ${envelope.version}`]);
        validate(sub.def, envelope.data);
        items.push({ index, message, envelope, sub });
      } catch (err) {
        const l = log();
        await this.deadLetters.send({ group, topic, partition, message }, err as Error, 0, l.child?.({ offset: message.offset }) ?? l);
      }
    }
    if (ignored) this.metrics.consumed.inc({ ...labels, outcome: 'ignored' }, ignored);

    // Pass 2: runs of the same subscription, at most maxBatch each, in offset order.
    let start = 0;
    while (start < items.length) {
      const first = items[start]!;
      let end = start + 1;
      while (end < items.length && end - start < first.sub.maxBatch && items[end]!.sub === first.sub) end++;
      const chunk = items.slice(start, end);
      this.metrics.batchSize.observe(labels, chunk.length);
      await this.run(group, topic, partition, chunk, { retryWhole: true, log, heartbeat, settle });
      // Invalid or ignored messages between this run and the next are done too.
      settle(end < items.length ? items[end]!.index - 1 : to - 1);
      await heartbeat();
      await o.commitOffsetsIfNecessary();
      start = end;
    }
    if (!items.length) settle(to - 1);
  }

  /** Resolves once every item of `chunk` took effect or went to the DLQ; throws only when stopping. */
  private async run(
    group: string,
    topic: string,
    partition: number,
    chunk: Item[],
    o: { retryWhole: boolean; log: () => EventLogger; heartbeat: () => Promise<void>; settle: (index: number) => void },
  ): Promise<void> {
    const labels = { topic, group };
    const sub = chunk[0]!.sub;
    for (let attempt = 1; ; attempt++) {
      const end = this.metrics.batchDuration.startTimer(labels);
      try {
        const call = () =>
          sub.handler(
            chunk.map((i) => i.envelope),
            {
              topic,
              partition,
              offsets: chunk.map((i) => i.message.offset),
              attempt,
              get log() {
                return o.log();
              },
              heartbeat: o.heartbeat,
            },
          );
        // A span per handler call when a tracing SDK (or propagator) is registered; otherwise a plain call.
        await (tracingEnabled() ? inConsumerSpan(topic, chunk[0]!.message.headers, call) : call());
        end();
        this.metrics.consumed.inc({ ...labels, outcome: 'ok' }, chunk.length);
        o.settle(chunk.at(-1)!.index);
        return;
      } catch (err) {
        end();
        const error = err as Error;
        const infra = isInfrastructureError(err);
        const final = err instanceof NonRetriableError || err instanceof EventValidationError;
        const delay = Math.min(this.retry.retryMaxMs, this.retry.retryBaseMs * 2 ** (attempt - 1));
        if (chunk.length === 1 && !infra && (final || attempt >= this.retry.maxAttempts)) {
          const item = chunk[0]!;
          const log = o.log();
          await this.deadLetters.send({ group, topic, partition, message: item.message }, error, attempt, log.child?.({ offset: item.message.offset, eventId: item.envelope.id }) ?? log);
          o.settle(item.index);
          return;
        }
        if (this.stopping()) throw err;
        // Infrastructure down: the whole batch waits (retried without limit), nothing is bisected.
        // A single message is retried up to maxAttempts; a batch once (a transient failure), then split.
        if (infra || chunk.length === 1 || (o.retryWhole && attempt === 1 && !final)) {
          this.metrics.retries.inc(labels);
          o.log().warn({ err, attempt, delay, infra, size: chunk.length, firstOffset: chunk[0]!.message.offset }, 'batch handler failed; retrying');
          await sleep(delay);
          await o.heartbeat();
          continue;
        }
        const mid = Math.ceil(chunk.length / 2);
        o.log().warn({ err, size: chunk.length, firstOffset: chunk[0]!.message.offset }, 'batch handler failed; bisecting to find the poison message');
        this.metrics.bisections.inc(labels);
        await this.run(group, topic, partition, chunk.slice(0, mid), { ...o, retryWhole: false });
        await this.run(group, topic, partition, chunk.slice(mid), { ...o, retryWhole: false });
        return;
      }
    }
  }
}
