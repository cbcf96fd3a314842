// The Kafka side of libs/events: typed publish, typed subscribe with retries and a DLQ,
// topic creation. At-least-once: an offset is resolved only after its handler succeeded.
import { Kafka, logLevel, Partitioners, type Admin, type Consumer, type EachBatchPayload, type IHeaders, type KafkaMessage, type Producer } from 'kafkajs';
import type { Static, TSchema } from '@sinclair/typebox';
import type { Registry } from 'prom-client';
import { buildEnvelope, HEADER_TYPE, HEADER_VERSION, parseEnvelope, validate } from './codec.js';
import type { AnyEventDefinition, Envelope, EventDefinition } from './define.js';
import { EventValidationError, isInfrastructureError, NonRetriableError } from './errors.js';
import { createEventMetrics, type EventMetrics } from './metrics.js';
import { inConsumerSpan, inProducerSpan } from './tracing.js';

export interface EventLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child?(bindings: object): EventLogger;
}

export interface EventBusOptions {
  brokers: string[];
  /** Service name: the envelope `source`, the Kafka client id and the default consumer group. */
  service: string;
  logger: EventLogger;
  registry: Registry;
  partitions?: number;
  replicationFactor?: number;
  /** Handler attempts before a message is dead-lettered (infrastructure errors retry without limit). */
  maxAttempts?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Prefix for every topic and consumer group (isolates test runs sharing one broker). */
  namespace?: string;
}

export interface HandlerContext {
  topic: string;
  partition: number;
  offset: string;
  attempt: number;
  headers: IHeaders;
  log: EventLogger;
}

export type EventHandler<S extends TSchema> = (event: Envelope<Static<S>>, ctx: HandlerContext) => Promise<void>;

export interface SubscribeOptions {
  /** Consumer group; defaults to the service name. Subscriptions in one group share a consumer. */
  group?: string;
  fromBeginning?: boolean;
}

export interface PublishOptions {
  tenantId: string;
  id?: string;
  occurredAt?: Date;
  headers?: Record<string, string>;
}

/** A message already encoded for Kafka (the outbox stores these). */
export interface WireMessage {
  topic: string;
  key: string;
  value: string;
  headers: Record<string, string>;
}

interface Subscription {
  def: AnyEventDefinition;
  handler: EventHandler<TSchema>;
}

interface Group {
  id: string;
  fromBeginning: boolean;
  subs: Subscription[];
  consumer?: Consumer;
}

export const DLQ_SUFFIX = '.dlq';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class EventBus {
  readonly service: string;
  readonly kafka: Kafka;
  readonly metrics: EventMetrics;
  private readonly log: EventLogger;
  private readonly producer: Producer;
  private producerReady?: Promise<void>;
  private readonly groups = new Map<string, Group>();
  private stopping = false;
  private flushing = false;
  private readonly sendQueue: { messages: WireMessage[]; resolve: () => void; reject: (err: Error) => void }[] = [];
  private readonly ns: string;
  private readonly opts: Required<Pick<EventBusOptions, 'partitions' | 'replicationFactor' | 'maxAttempts' | 'retryBaseMs' | 'retryMaxMs'>>;

  constructor(options: EventBusOptions) {
    this.service = options.service;
    this.log = options.logger;
    this.metrics = createEventMetrics(options.registry);
    this.ns = options.namespace ? `${options.namespace}.` : '';
    this.opts = {
      partitions: options.partitions ?? 3,
      replicationFactor: options.replicationFactor ?? 1,
      maxAttempts: options.maxAttempts ?? 5,
      retryBaseMs: options.retryBaseMs ?? 100,
      retryMaxMs: options.retryMaxMs ?? 5_000,
    };
    const log = this.log;
    this.kafka = new Kafka({
      clientId: options.service,
      brokers: options.brokers,
      logLevel: logLevel.WARN,
      retry: { initialRetryTime: 200, retries: 8 },
      logCreator:
        () =>
        ({ level, log: entry }) => {
          const { message, ...rest } = entry;
          // Known, accepted: bounded producer retries; consumers dedupe by event id instead.
          if (message.startsWith('Limiting retries for the idempotent producer')) return;
          if (level <= logLevel.ERROR) log.error({ kafka: rest }, message);
          else log.warn({ kafka: rest }, message);
        },
    });
    this.producer = this.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  }

  /**
   * Creates every topic of the given definitions, and its DLQ, if missing, then waits until
   * every partition of them has a leader: a consumer that joins (or a producer that sends)
   * before that gets "not the leader for that topic-partition" errors and retries noisily.
   */
  async ensureTopics(defs: readonly AnyEventDefinition[], timeoutMs = 60_000): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const wanted = new Map<string, boolean>();
      for (const d of defs) {
        wanted.set(this.physical(d.topic), d.compacted);
        wanted.set(this.physical(d.topic + DLQ_SUFFIX), false);
      }
      const topics = [...wanted]
        .filter(([t]) => !existing.has(t))
        .map(([topic, compacted]) => ({
          topic,
          numPartitions: this.opts.partitions,
          replicationFactor: this.opts.replicationFactor,
          configEntries: compacted ? [{ name: 'cleanup.policy', value: 'compact' }] : [],
        }));
      // Another instance may create the same topics at the same time: createTopics then returns false.
      if (topics.length) await admin.createTopics({ topics, waitForLeaders: false });
      await waitForLeaders(admin, [...wanted.keys()], timeoutMs);
    } finally {
      await admin.disconnect();
    }
  }

  /** The Kafka topic (or group) name of a catalogued topic, with the namespace applied. */
  physical(name: string): string {
    return this.ns + name;
  }

  private logical(topic: string): string {
    return this.ns && topic.startsWith(this.ns) ? topic.slice(this.ns.length) : topic;
  }

  private connectProducer(): Promise<void> {
    this.producerReady ??= this.producer.connect().catch((err: unknown) => {
      this.producerReady = undefined;
      throw err;
    });
    return this.producerReady;
  }

  /** Validates, wraps in an envelope and sends; resolves once Kafka acknowledged (acks=all). */
  async publish<S extends TSchema>(def: EventDefinition<S>, data: Static<S>, opts: PublishOptions): Promise<Envelope<Static<S>>> {
    const envelope = buildEnvelope(def, data, { ...opts, source: this.service });
    await inProducerSpan(def.topic, async (trace) => {
      await this.sendWire([encodeWire(def, envelope, { ...trace, ...opts.headers })]);
    });
    return envelope;
  }

  /** Publishes many events of one definition in one request. */
  async publishMany<S extends TSchema>(def: EventDefinition<S>, items: { data: Static<S>; opts: PublishOptions }[]): Promise<Envelope<Static<S>>[]> {
    const envelopes = items.map((i) => buildEnvelope(def, i.data, { ...i.opts, source: this.service }));
    await inProducerSpan(def.topic, async (trace) => {
      await this.sendWire(envelopes.map((e, n) => encodeWire(def, e, { ...trace, ...items[n]?.opts.headers })));
    });
    return envelopes;
  }

  /**
   * Sends already-encoded messages (also used by the outbox relay). The idempotent producer
   * keeps one request in flight to preserve order, so sends that arrive while a request is
   * in flight are coalesced into the next one (like librdkafka's linger): latency stays low
   * under load without giving up ordering.
   */
  sendWire(messages: WireMessage[]): Promise<void> {
    if (!messages.length) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.sendQueue.push({ messages, resolve, reject });
      void this.flushSends();
    });
  }

  private async flushSends(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.sendQueue.length) {
        const pending = this.sendQueue.splice(0, this.sendQueue.length);
        try {
          await this.connectProducer();
          const byTopic = new Map<string, WireMessage[]>();
          for (const m of pending.flatMap((p) => p.messages)) {
            const list = byTopic.get(m.topic) ?? [];
            list.push(m);
            byTopic.set(m.topic, list);
          }
          await this.producer.sendBatch({
            acks: -1,
            topicMessages: [...byTopic].map(([topic, list]) => ({
              topic: this.physical(topic),
              messages: list.map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
            })),
          });
          for (const [topic, list] of byTopic) this.metrics.published.inc({ topic }, list.length);
          for (const p of pending) p.resolve();
        } catch (err) {
          for (const p of pending) p.reject(err as Error);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  subscribe<S extends TSchema>(def: EventDefinition<S>, handler: EventHandler<S>, options: SubscribeOptions = {}): void {
    const id = options.group ?? this.service;
    const group = this.groups.get(id) ?? { id, fromBeginning: options.fromBeginning ?? true, subs: [] };
    if (group.consumer) throw new Error(`consumer group ${id} already started; subscribe before start()`);
    group.subs.push({ def, handler: handler as EventHandler<TSchema> });
    this.groups.set(id, group);
  }

  /** Connects the producer and starts one consumer per group. */
  async start(): Promise<void> {
    await this.connectProducer();
    for (const group of this.groups.values()) await this.startGroup(group);
  }

  private async startGroup(group: Group): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: this.physical(group.id),
      allowAutoTopicCreation: false,
      // A consumer killed without leaving holds its partitions until its session expires;
      // a short session lets a restarted process take over quickly.
      sessionTimeout: 12_000,
      heartbeatInterval: 2_000,
      retry: { initialRetryTime: 300, retries: 10, restartOnFailure: async () => !this.stopping },
    });
    group.consumer = consumer;
    await consumer.connect();
    const topics = [...new Set(group.subs.map((s) => this.physical(s.def.topic)))];
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
    const topic = this.logical(batch.topic);
    const lagLabels = { topic, partition: String(batch.partition), group: group.id };
    for (const message of batch.messages) {
      if (!isRunning() || isStale()) break;
      await this.processMessage(group, topic, batch.partition, message, heartbeat);
      resolveOffset(message.offset);
      await heartbeat();
      this.metrics.lag.set(lagLabels, Math.max(0, Number(batch.highWatermark) - Number(message.offset) - 1));
    }
  }

  private async processMessage(
    group: Group,
    topic: string,
    partition: number,
    message: KafkaMessage,
    heartbeat: () => Promise<void>,
  ): Promise<void> {
    const labels = { topic, group: group.id };
    // The child logger is built only when something is logged: it is not free on the hot path.
    let child: EventLogger | undefined;
    const log = (): EventLogger => (child ??= this.log.child?.({ topic, partition, offset: message.offset, group: group.id }) ?? this.log);
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
      await this.deadLetter(group, topic, partition, message, err as Error, 0, log());
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
        if (err instanceof NonRetriableError || err instanceof EventValidationError || (!infra && attempt >= this.opts.maxAttempts)) {
          await this.deadLetter(group, topic, partition, message, err as Error, attempt, log());
          return;
        }
        if (this.stopping) throw err;
        this.metrics.retries.inc(labels);
        const delay = Math.min(this.opts.retryMaxMs, this.opts.retryBaseMs * 2 ** (attempt - 1));
        log().warn({ err, attempt, delay, infra, eventId: envelope.id }, 'handler failed; retrying');
        await sleep(delay);
        await heartbeat();
      }
    }
  }

  private async deadLetter(
    group: Group,
    topic: string,
    partition: number,
    message: KafkaMessage,
    err: Error,
    attempts: number,
    log: EventLogger,
  ): Promise<void> {
    const reason = err instanceof EventValidationError ? 'validation' : err instanceof NonRetriableError ? 'non-retriable' : 'retries-exhausted';
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(message.headers ?? {})) if (v !== undefined) headers[k] = String(Array.isArray(v) ? v[0] : v);
    Object.assign(headers, {
      'vigil-dlq-reason': reason,
      'vigil-dlq-error': err.message.slice(0, 1000),
      'vigil-dlq-origin-topic': topic,
      'vigil-dlq-origin-partition': String(partition),
      'vigil-dlq-origin-offset': message.offset,
      'vigil-dlq-group': group.id,
      'vigil-dlq-attempts': String(attempts),
      'vigil-dlq-at': new Date().toISOString(),
    });
    // If the DLQ itself cannot be written, this throws and the message is redelivered: never dropped.
    await this.connectProducer();
    await this.producer.send({
      topic: this.physical(topic + DLQ_SUFFIX),
      acks: -1,
      messages: [{ key: message.key, value: message.value, headers }],
    });
    this.metrics.consumed.inc({ topic, group: group.id, outcome: 'dlq' });
    log.error({ reason, error: err.message, attempts }, 'event dead-lettered');
  }

  /** Stops consumers (finishing the message in hand) and the producer. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const group of this.groups.values()) {
      await group.consumer?.disconnect().catch((err: unknown) => this.log.warn({ err }, 'consumer disconnect failed'));
    }
    if (this.producerReady) await this.producer.disconnect().catch((err: unknown) => this.log.warn({ err }, 'producer disconnect failed'));
  }
}

/** Polls topic metadata until every partition of `topics` has a leader (or the timeout passes). */
async function waitForLeaders(admin: Admin, topics: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let missing: string[] = topics;
  let lastError = '';
  for (let delay = 50; ; delay = Math.min(delay * 2, 1_000)) {
    try {
      const { topics: meta } = await admin.fetchTopicMetadata({ topics: missing });
      missing = meta
        .filter((t) => !t.partitions.length || t.partitions.some((p) => p.leader < 0 || (p.partitionErrorCode ?? 0) !== 0))
        .map((t) => t.name);
      if (!missing.length) return;
      lastError = `no leader yet for ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ` and ${missing.length - 3} more` : ''}`;
    } catch (err) {
      lastError = (err as Error).message; // e.g. UNKNOWN_TOPIC_OR_PARTITION while the broker catches up
    }
    if (Date.now() + delay > deadline) {
      throw new Error(`Kafka topics have no partition leader after ${timeoutMs} ms (${lastError}); check that the broker is healthy (npm run kafka:start)`);
    }
    await sleep(delay);
  }
}

export function encodeWire<S extends TSchema>(
  def: EventDefinition<S>,
  envelope: Envelope<Static<S>>,
  headers: Record<string, string>,
): WireMessage {
  return {
    topic: def.topic,
    key: def.key(envelope.data),
    value: JSON.stringify(envelope),
    headers: { ...headers, [HEADER_TYPE]: def.type, [HEADER_VERSION]: String(def.version) },
  };
}
