// The receiving side: one kafkajs consumer per group, typed and validated handlers, retries
// with exponential backoff, and the DLQ. At-least-once: an offset is resolved only after its
// handler succeeded.
import { performance } from 'node:perf_hooks';
import type { Consumer, EachBatchPayload, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import type { TSchema } from '@sinclair/typebox';
import { BatchRunner, type BatchSubscription } from './batch-consumer.js';
import { parseEnvelope, validate } from './codec.js';
import type { AnyEventDefinition, Envelope } from './define.js';
import type { DeadLetters } from './dead-letter.js';
import { EventValidationError, isInfrastructureError, NonRetriableError } from './errors.js';
import type { EventHandler, EventLogger, HandlerContext } from './bus.js';
import type { EventMetrics } from './metrics.js';
import type { TopicNames } from './topics.js';
import { inConsumerSpan, tracingEnabled } from './tracing.js';

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
  /** subscribe() handlers by logical topic, then event type (filled on first use). */
  dispatch: Map<string, Map<string, Subscription[]>>;
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
    const group: Group = this.groups.get(groupId) ?? { id: groupId, fromBeginning, subs: [], batchSubs: [], dispatch: new Map() };
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
    // Per kafkajs batch, not per message: the dispatch table of this topic, the metric labels, and
    // whether a span per handler call can matter (a tracing SDK or propagator registered).
    const route: Route = { group: group.id, topic, partition: batch.partition, byType: this.dispatch(group, topic), traced: tracingEnabled(), ...metricLabels(topic, group.id) };
    let last: KafkaMessage | undefined;
    // Outcomes are counted here and added to the counters once per kafkajs batch (and on the way out).
    let ok = 0;
    let ignored = 0;
    try {
      for (const message of batch.messages) {
        if (!isRunning() || isStale()) break;
        const outcome = await this.processMessage(route, message, heartbeat);
        if (outcome === OK) ok++;
        else if (outcome === IGNORED) ignored++;
        resolveOffset(message.offset);
        last = message;
        await heartbeat();
      }
    } finally {
      if (ok) this.metrics.consumed.inc(route.ok, ok);
      if (ignored) this.metrics.consumed.inc(route.ignored, ignored);
      if (last) this.metrics.lag.set({ ...route.labels, partition: String(batch.partition) }, Math.max(0, Number(batch.highWatermark) - Number(last.offset) - 1));
    }
  }

  /** subscribe() handlers of a topic by event type, built once per group and topic. */
  private dispatch(group: Group, topic: string): Map<string, Subscription[]> {
    let byType = group.dispatch.get(topic);
    if (!byType) {
      byType = new Map();
      for (const s of group.subs) if (s.def.topic === topic) byType.set(s.def.type, [...(byType.get(s.def.type) ?? []), s]);
      group.dispatch.set(topic, byType);
    }
    return byType;
  }

  /** Handles one message; resolves once it took effect, went to the DLQ or was ignored (which one: the result). */
  private async processMessage(route: Route, message: KafkaMessage, heartbeat: () => Promise<void>): Promise<Outcome> {
    const { group, topic, partition, labels } = route;
    let envelope: Envelope;
    let sub: Subscription | undefined;
    try {
      envelope = parseEnvelope(message.value);
      const sameType = route.byType.get(envelope.type);
      if (!sameType) {
        this.log.debug({ topic, partition, offset: message.offset, group, type: envelope.type }, 'event type not handled by this group');
        return IGNORED;
      }
      for (const s of sameType) {
        if (s.def.version !== envelope.version) continue;
        sub = s;
        break;
      }
      if (!sub) throw new EventValidationError(envelope.type, [`unsupported version ${envelope.version}`]);
      validate(sub.def, envelope.data);
    } catch (err) {
      await this.deadLetters.send({ group, topic, partition, message }, err as Error, 0, messageLog(this.log, route, message));
      return DEAD_LETTERED;
    }

    const handler = sub.handler;
    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      const ctx = new MessageContext(route, message, attempt, this.log);
      try {
        if (route.traced) await inConsumerSpan(topic, message.headers, () => handler(envelope, ctx));
        else await handler(envelope, ctx);
        this.metrics.duration.observe(labels, (performance.now() - started) / 1000);
        return OK;
      } catch (err) {
        this.metrics.duration.observe(labels, (performance.now() - started) / 1000);
        const log = ctx.log;
        const infra = isInfrastructureError(err);
        if (err instanceof NonRetriableError || err instanceof EventValidationError || (!infra && attempt >= this.retry.maxAttempts)) {
          await this.deadLetters.send({ group, topic, partition, message }, err as Error, attempt, log);
          return DEAD_LETTERED;
        }
        if (this.stopping) throw err;
        this.metrics.retries.inc(labels);
        const delay = Math.min(this.retry.retryMaxMs, this.retry.retryBaseMs * 2 ** (attempt - 1));
        log.warn({ err, attempt, delay, infra, eventId: envelope.id }, 'handler failed; retrying');
        await sleep(delay);
        await heartbeat();
      }
    }
  }
}

const OK = 0;
const IGNORED = 1;
const DEAD_LETTERED = 2;
type Outcome = typeof OK | typeof IGNORED | typeof DEAD_LETTERED;

/** The logger of one message (a child logger is not free: built only when something is logged). */
const messageLog = (log: EventLogger, route: Route, message: KafkaMessage): EventLogger =>
  log.child?.({ topic: route.topic, partition: route.partition, offset: message.offset, group: route.group }) ?? log;

/** The handler's context: a class, so the lazy `log` is a getter on the prototype, not a closure per message. */
class MessageContext implements HandlerContext {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly headers: IHeaders;
  private child?: EventLogger;
  constructor(
    private readonly route: Route,
    private readonly message: KafkaMessage,
    readonly attempt: number,
    private readonly base: EventLogger,
  ) {
    this.topic = route.topic;
    this.partition = route.partition;
    this.offset = message.offset;
    this.headers = message.headers ?? {};
  }

  get log(): EventLogger {
    return (this.child ??= messageLog(this.base, this.route, this.message));
  }
}

/** Label sets of one (topic, group), built once per kafkajs batch rather than spread per message. */
function metricLabels(topic: string, group: string) {
  return {
    labels: { topic, group },
    ok: { topic, group, outcome: 'ok' },
    ignored: { topic, group, outcome: 'ignored' },
  };
}

interface Route extends ReturnType<typeof metricLabels> {
  group: string;
  topic: string;
  partition: number;
  byType: Map<string, Subscription[]>;
  /** A tracing SDK or propagator is registered: each handler call runs in a consumer span. */
  traced: boolean;
}
