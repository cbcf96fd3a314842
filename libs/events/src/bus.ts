// EventBus: the Kafka side of libs/events behind one object — typed publish, typed subscribe
// with retries and a DLQ, topic creation, and the cluster checks health and tests need.
// The parts live beside it: producer.ts, consumer.ts, dead-letter.ts, topics.ts, kafka-log.ts.
import { Kafka, logLevel, type Admin, type IHeaders } from 'kafkajs';
import type { Static, TSchema } from '@sinclair/typebox';
import type { Registry } from 'prom-client';
import { encodeWire, envelopeFrom, type WireMessage } from './codec.js';
import type { BatchHandler, SubscribeBatchOptions } from './batch-consumer.js';
import { ConsumerGroups } from './consumer.js';
import { kafkaClientSettings, type KafkaConnection } from './connection.js';
import { DeadLetters } from './dead-letter.js';
import type { AnyEventDefinition, Envelope, EventDefinition } from './define.js';
import { kafkaLogCreator } from './kafka-log.js';
import { createEventMetrics, type EventMetrics } from './metrics.js';
import { EventProducer } from './producer.js';
import { ensureTopics, TopicNames, waitForExistingLeaders } from './topics.js';
import { inProducerSpan } from './tracing.js';


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
  /** TLS, SASL and timeouts for a managed Kafka (Event Hubs). */
  connection?: KafkaConnection;
  /** false: topics are pre-created (e.g. by infra/azure); ensureTopics only checks they exist. */
  createTopics?: boolean;
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

export interface ClusterInfo {
  brokers: { nodeId: number; host: string; port: number }[];
  controller: number | null;
  clusterId: string;
}

export class EventBus {
  readonly service: string;
  readonly metrics: EventMetrics;
  private readonly kafka: Kafka;
  private readonly names: TopicNames;
  private readonly producer: EventProducer;
  private readonly consumers: ConsumerGroups;
  private readonly settings: { partitions: number; replicationFactor: number; create: boolean };
  private readonly log: EventLogger;
  private admin?: Promise<Admin>;

  constructor(options: EventBusOptions) {
    this.service = options.service;
    this.log = options.logger;
    this.metrics = createEventMetrics(options.registry);
    this.names = new TopicNames(options.namespace);
    this.settings = { partitions: options.partitions ?? 3, replicationFactor: options.replicationFactor ?? 1, create: options.createTopics ?? true };
    this.kafka = new Kafka({
      clientId: options.service,
      brokers: options.brokers,
      logLevel: logLevel.WARN,
      retry: { initialRetryTime: 200, retries: 8 },
      logCreator: kafkaLogCreator(options.logger, options.brokers),
      ...kafkaClientSettings(options.connection ?? {}),
    });
    this.producer = new EventProducer(this.kafka, this.names, this.metrics);
    const deadLetters = new DeadLetters(this.producer, this.names, this.metrics);
    this.consumers = new ConsumerGroups(this.kafka, this.names, deadLetters, this.metrics, options.logger, {
      maxAttempts: options.maxAttempts ?? 5,
      retryBaseMs: options.retryBaseMs ?? 100,
      retryMaxMs: options.retryMaxMs ?? 5_000,
    });
  }

  /**
   * Creates every topic of the given definitions, and its DLQ, if missing, then waits until every
   * partition of them has a leader (so consumers join and producers send without leader errors).
   * With createTopics: false it creates nothing and throws MissingTopicsError naming the missing ones.
   */
  async ensureTopics(defs: readonly AnyEventDefinition[], timeoutMs = 60_000): Promise<void> {
    await this.withAdmin((admin) => ensureTopics(admin, this.names, defs, this.settings, timeoutMs));
  }

  /** The Kafka topic (or group) name of a catalogued topic, with the namespace applied. */
  physical(name: string): string {
    return this.names.physical(name);
  }

  /** Validates, wraps in an envelope and sends; resolves once Kafka acknowledged (acks=all). */
  async publish<S extends TSchema>(def: EventDefinition<S>, data: Static<S>, opts: PublishOptions): Promise<Envelope<Static<S>>> {
    const envelope = envelopeFrom(def, data, opts, this.service);
    await inProducerSpan(def.topic, async (trace) => {
      await this.producer.send([encodeWire(def, envelope, { ...trace, ...opts.headers })]);
    });
    return envelope;
  }

  /** Publishes many events of one definition in one request. */
  async publishMany<S extends TSchema>(def: EventDefinition<S>, items: { data: Static<S>; opts: PublishOptions }[]): Promise<Envelope<Static<S>>[]> {
    const envelopes = items.map((i) => envelopeFrom(def, i.data, i.opts, this.service));
    await inProducerSpan(def.topic, async (trace) => {
      // Messages without headers of their own share the trace headers object (kafkajs only reads it).
      const wire = envelopes.map((e, n) => {
        const own = items[n]?.opts.headers;
        return encodeWire(def, e, own ? { ...trace, ...own } : trace);
      });
      await this.producer.send(wire);
    });
    return envelopes;
  }

  /** Sends already-encoded messages (the outbox relay); coalesced with concurrent sends, order kept. */
  sendWire(messages: WireMessage[]): Promise<void> {
    return this.producer.send(messages);
  }

  subscribe<S extends TSchema>(def: EventDefinition<S>, handler: EventHandler<S>, options: SubscribeOptions = {}): void {
    this.consumers.add(options.group ?? this.service, options.fromBeginning ?? true, def, handler as EventHandler<TSchema>);
  }

  /**
   * The handler gets the validated envelopes of one partition in offset order, up to maxBatch (and
   * maxBatchBytes of messages) at a time; failure semantics in the README (DLQ for invalid ones, retry then bisection for a
   * failing batch, offsets resolved only up to what took effect).
   */
  subscribeBatch<S extends TSchema>(def: EventDefinition<S>, handler: BatchHandler<S>, options: SubscribeBatchOptions = {}): void {
    const maxBatch = options.maxBatch ?? 500;
    const maxWaitMs = options.maxWaitMs ?? 100;
    if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new Error(`subscribeBatch ${def.type}: maxBatch must be a positive integer (got ${maxBatch})`);
    if (!Number.isInteger(maxWaitMs) || maxWaitMs < 1) throw new Error(`subscribeBatch ${def.type}: maxWaitMs must be a positive integer (got ${maxWaitMs})`);
    const maxBatchBytes = options.maxBatchBytes ?? Infinity;
    if (maxBatchBytes !== Infinity && (!Number.isInteger(maxBatchBytes) || maxBatchBytes < 1)) throw new Error(`subscribeBatch ${def.type}: maxBatchBytes must be a positive integer (got ${maxBatchBytes})`);
    this.consumers.addBatch(options.group ?? this.service, options.fromBeginning ?? true, { def, handler: handler as BatchHandler<TSchema>, maxBatch, maxWaitMs, maxBatchBytes });
  }

  /**
   * Connects the producer and starts one consumer per group, once every partition of the
   * subscribed topics that exist has a leader (topics are created by ensureTopics, not here).
   */
  async start(): Promise<void> {
    await this.producer.connect();
    const subscribed = [...new Set(this.consumers.topics().map((d) => this.names.physical(d.topic)))];
    if (subscribed.length) await this.withAdmin((admin) => waitForExistingLeaders(admin, subscribed, 60_000));
    await this.consumers.start();
  }

  /** Stops consuming: each group finishes the message in hand and leaves. The producer stays connected. */
  stopConsumers(): Promise<void> {
    return this.consumers.stop();
  }

  /** Disconnects the producer (after the sends in flight) and the admin client. */
  async disconnect(): Promise<void> {
    await this.producer.disconnect().catch((err: unknown) => this.log.warn({ err }, 'producer disconnect failed'));
    await this.dropAdmin();
  }

  /** Stops consumers (finishing the message in hand), then the producer. */
  async stop(): Promise<void> {
    await this.stopConsumers();
    await this.disconnect();
  }

  /** The cluster as the broker describes it; throws when Kafka is unreachable (and drops the admin connection). */
  async describeCluster(): Promise<ClusterInfo> {
    return this.withAdmin((admin) => admin.describeCluster(), { keep: true });
  }

  /** State of a consumer group (logical name): 'Stable', 'Empty', 'Dead', 'PreparingRebalance', … */
  async groupState(group: string): Promise<string> {
    return this.withAdmin(async (admin) => {
      const { groups } = await admin.describeGroups([this.names.physical(group)]);
      return groups[0]?.state ?? 'Dead';
    });
  }

  /**
   * Runs `fn` on an admin client. With `keep`, the client is kept for the next call (health
   * probes every few seconds) and disconnected as soon as a call fails; otherwise it is closed.
   */
  private async withAdmin<T>(fn: (admin: Admin) => Promise<T>, o: { keep?: boolean } = {}): Promise<T> {
    if (!o.keep) {
      const admin = this.kafka.admin();
      await admin.connect();
      try {
        return await fn(admin);
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
    }
    this.admin ??= (async () => {
      const admin = this.kafka.admin();
      try {
        await admin.connect();
      } catch (err) {
        await admin.disconnect().catch(() => undefined);
        throw err;
      }
      return admin;
    })();
    const pending = this.admin;
    try {
      return await fn(await pending);
    } catch (err) {
      if (this.admin === pending) await this.dropAdmin();
      throw err;
    }
  }

  private async dropAdmin(): Promise<void> {
    const pending = this.admin;
    this.admin = undefined;
    if (pending) await pending.then((a) => a.disconnect()).catch(() => undefined);
  }
}
