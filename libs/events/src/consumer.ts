// The receiving side: one kafkajs consumer per group, typed and validated handlers, retries
// with exponential backoff, and the DLQ. At-least-once: an offset is resolved only after its
// handler succeeded.
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { TSchema } from '@sinclair/typebox';
import { BatchRunner, type BatchSubscription } from './batch-consumer.js';
import { parseEnvelope, validate } from './codec.js';
import type { AnyEventDefinition, Envelope } from './define.js';
import type { DeadLetters } from './dead-letter.js';
import { EventValidationError, isInfrastructureError, NonRetriableError } from './errors.js';
import type { EventHandler, EventLogger } from './bus.js';
import type { EventMetrics } from './metrics.js';
import type { TopicNames } from './topics.js';
import { inConsumerSpan } from './tracing.js';

export interface RetryPolicy {
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
}

interface Subscription {
  def: AnyEventDefinition;
  handler: EventHandler<TSchema>;
}

interface Group {
  id: string;
  fromBeginning: boolean;
  subs: Subscription[];
  /** subscribeBatch subscriptions; a topic is consumed either one by one or in batches within a group. */
  batchSubs: BatchSubscription[];
  consumer?: Consumer;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The kafkajs consumer settings of every group; exported so bench:events' raw kafkajs side runs
 * with the same ones. A consumer killed without leaving holds its partitions until its session
 * expires; a short session lets a restarted process take over quickly. `maxWaitMs` (the smallest
 * of a group's batch subscriptions) is how long the broker holds an empty fetch.
 */
export function kafkaConsumerSettings(maxWaitMs?: number) {
  return {
    allowAutoTopicCreation: false,
    sessionTimeout: 12_000,
    heartbeatInterval: 2_000,
    ...(maxWaitMs ? { maxWaitTimeInMs: maxWaitMs } : {}),
  };
}

export class ConsumerGroups {
  private readonly groups = new Map<string, Group>();
  private stopping = false;
  private readonly batches: BatchRunner;

  constructor(
    private readonly kafka: Kafka,
    private readonly names: TopicNames,
    private readonly deadLetters: DeadLetters,
    private readonly metrics: EventMetrics,
    private readonly log: EventLogger,
    private readonly retry: RetryPolicy,
  ) {
    this.batches = new BatchRunner(deadLetters, metrics, log, retry, () => this.stopping);
  }

  add(groupId: string, fromBeginning: boolean, def: AnyEventDefinition, handler: EventHandler<TSchema>): void {
    const group = this.group(groupId, fromBeginning, def);
    if (group.batchSubs.some((s) => s.def.topic === def.topic)) throw new Error(`${def.topic} is consumed in batches by group ${groupId}; use subscribeBatch for it there too`);
    group.subs.push({ def, handler });
  }

  addBatch(groupId: string, fromBeginning: boolean, sub: BatchSubscription): void {
    const group = this.group(groupId, fromBeginning, sub.def);
    if (group.subs.some((s) => s.def.topic === sub.def.topic)) throw new Error(`${sub.def.topic} is consumed one by one by group ${groupId}; use subscribe for it there too`);
    group.batchSubs.push(sub);
  }

  private group(groupId: string, fromBeginning: boolean, def: AnyEventDefinition): Group {
    const group = this.groups.get(groupId) ?? { id: groupId, fromBeginning, subs: [], batchSubs: [] };
    if (group.consumer) throw new Error(`consumer group ${groupId} already started; subscribe before start() (${def.type})`);
    this.groups.set(groupId, group);
    return group;
  }

  /** Logical topics some group subscribes to. */
  topics(): AnyEventDefinition[] {
    return [...this.groups.values()].flatMap((g) => [...g.subs, ...g.batchSubs].map((s) => s.def));
  }

  async start(): Promise<void> {
    this.stopping = false;
    for (const group of this.groups.values()) if (!group.consumer) await this.startGroup(group);
  }

  /** Disconnects every consumer, letting the message in hand finish (its offset is then committed). */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const group of this.groups.values()) {
      const consumer = group.consumer;
      group.consumer = undefined;
      await consumer?.disconnect().catch((err: unknown) => this.log.warn({ err }, 'consumer disconnect failed'));
    }
  }

  private async startGroup(group: Group): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: this.names.physical(group.id),
      ...kafkaConsumerSettings(group.batchSubs.length ? Math.min(...group.batchSubs.map((s) => s.maxWaitMs)) : undefined),
      retry: { initialRetryTime: 300, retries: 10, restartOnFailure: async () => !this.stopping },
    });
    group.consumer = consumer;
    await consumer.connect();
    const topics = [...new Set([...group.subs, ...group.batchSubs].map((s) => this.names.physical(s.def.topic)))];
    await consumer.subscribe({ topics, fromBeginning: group.fromBeginning });
    await consumer.run({
      autoCommit: true,
      autoCommitInterval: 1_000,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.processBatch(group, payload),
    });
  }

  private async processBatch(group: Group, payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, isRunning, isStale } = payload;
    const topic = this.names.logical(batch.topic);
    const batchSubs = group.batchSubs.filter((s) => s.def.topic === topic);
    if (batchSubs.length) return this.batches.process(group.id, topic, batchSubs, payload);
    const lagLabels = { topic, partition: String(batch.partition), group: group.id };
    for (const message of batch.messages) {
      if (!isRunning() || isStale()) break;
      await this.processMessage(group, topic, batch.partition, message, heartbeat);
      resolveOffset(message.offset);
      await heartbeat();
      this.metrics.lag.set(lagLabels, Math.max(0, Number(batch.highWatermark) - Number(message.offset) - 1));
    }
  }

  private async processMessage(group: Group, topic: string, partition: number, message: KafkaMessage, heartbeat: () => Promise<void>): Promise<void> {
    const labels = { topic, group: group.id };
    // The child logger is built only when something is logged: it is not free on the hot path.
    let child: EventLogger | undefined;
    const log = (): EventLogger => (child ??= this.log.child?.({ topic, partition, offset: message.offset, group: group.id }) ?? this.log);
    const origin = { group: group.id, topic, partition, message };
    let envelope: Envelope;
    let sub: Subscription | undefined;
    try {
      envelope = parseEnvelope(message.value);
      const sameType = group.subs.filter((s) => s.def.topic === topic && s.def.type === envelope.type);
      if (!sameType.length) {
        this.metrics.consumed.inc({ ...labels, outcome: 'ignored' });
        log().debug({ type: envelope.type }, 'event type not handled by this group');
        return;
      }
      sub = sameType.find((s) => s.def.version === envelope.version);
      if (!sub) throw new EventValidationError(envelope.type, [`unsupported version ${envelope.version}`]);
      validate(sub.def, envelope.data);
    } catch (err) {
      await this.deadLetters.send(origin, err as Error, 0, log());
      return;
    }

    for (let attempt = 1; ; attempt++) {
      const end = this.metrics.duration.startTimer(labels);
      try {
        await inConsumerSpan(topic, message.headers, () =>
          sub.handler(envelope, {
            topic,
            partition,
            offset: message.offset,
            attempt,
            headers: message.headers ?? {},
            get log() {
              return log();
            },
          }),
        );
        end();
        this.metrics.consumed.inc({ ...labels, outcome: 'ok' });
        return;
      } catch (err) {
        end();
        const infra = isInfrastructureError(err);
        if (err instanceof NonRetriableError || err instanceof EventValidationError || (!infra && attempt >= this.retry.maxAttempts)) {
          await this.deadLetters.send(origin, err as Error, attempt, log());
          return;
        }
        if (this.stopping) throw err;
        this.metrics.retries.inc(labels);
        const delay = Math.min(this.retry.retryMaxMs, this.retry.retryBaseMs * 2 ** (attempt - 1));
        log().warn({ err, attempt, delay, infra, eventId: envelope.id }, 'handler failed; retrying');
        await sleep(delay);
        await heartbeat();
      }
    }
  }
}
