// The sending side: one idempotent kafkajs producer (acks=all, one request in flight per
// connection to keep order). Sends that arrive while a request is in flight are coalesced into
// the next one (like librdkafka's linger): latency stays low under load without giving up order.
import { Partitioners, type Kafka, type Message, type Producer } from 'kafkajs';
import type { WireMessage } from './codec.js';
import type { EventMetrics } from './metrics.js';
import type { TopicNames } from './topics.js';

interface PendingSend {
  messages: WireMessage[];
  resolve: () => void;
  reject: (err: Error) => void;
}

export class EventProducer {
  private readonly producer: Producer;
  private ready?: Promise<void>;
  private flushing = false;
  private readonly queue: PendingSend[] = [];

  constructor(
    kafka: Kafka,
    private readonly names: TopicNames,
    private readonly metrics: EventMetrics,
  ) {
    this.producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  }

  connect(): Promise<void> {
    this.ready ??= this.producer.connect().catch((err: unknown) => {
      this.ready = undefined;
      throw err;
    });
    return this.ready;
  }

  /** Sends encoded messages (logical topic names); resolves once Kafka acknowledged them all. */
  send(messages: WireMessage[]): Promise<void> {
    if (!messages.length) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ messages, resolve, reject });
      void this.flush();
    });
  }

  /** One message to a physical topic, outside the coalescing queue (the DLQ). */
  async sendRaw(topic: string, message: Message): Promise<void> {
    await this.connect();
    await this.producer.send({ topic, acks: -1, messages: [message] });
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.queue.length) {
        const pending = this.queue.splice(0, this.queue.length);
        try {
          await this.connect();
          const byTopic = new Map<string, WireMessage[]>();
          for (const m of pending.flatMap((p) => p.messages)) {
            const list = byTopic.get(m.topic) ?? [];
            list.push(m);
            byTopic.set(m.topic, list);
          }
          await this.producer.sendBatch({
            acks: -1,
            topicMessages: [...byTopic].map(([topic, list]) => ({
              topic: this.names.physical(topic),
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

  /** Disconnects once the sends already queued are done. */
  async disconnect(): Promise<void> {
    while (this.flushing || this.queue.length) await new Promise((r) => setTimeout(r, 10));
    if (this.ready) {
      const connected = this.ready;
      this.ready = undefined;
      await connected.catch(() => undefined);
      await this.producer.disconnect();
    }
  }
}
