// The sending side: one idempotent kafkajs producer (acks=all, one request in flight per
// connection to keep order). Sends that arrive while a request is in flight are coalesced into
// the next one (like librdkafka's linger): latency stays low under load without giving up order.
import { promisify } from 'node:util';
import { gzip, unzip } from 'node:zlib';
import kafkajs, { CompressionTypes, Partitioners, type Kafka, type Message, type Producer } from 'kafkajs';
import type { WireMessage } from './codec.js';
import { BATCH_BYTES_BUDGET } from './connection.js';
import type { EventMetrics } from './metrics.js';
import type { TopicNames } from './topics.js';

/**
 * gzip level of compressed produce requests. kafkajs' own codec uses zlib's default (6); level 1
 * costs a third of its CPU (measured on the ingest bench events: 5 KB 43 → 17 µs, 50 KB 429 → 149 µs
 * per event), and the producer's CPU is what limits ingest on a small machine. Output is somewhat
 * larger; any gzip reader (the broker, every consumer) reads it. Registered for the whole process:
 * decompression is zlib's unzip, as in kafkajs' codec.
 */
export const GZIP_LEVEL = 1;
const gzipAsync = promisify(gzip);
const unzipAsync = promisify(unzip);
export const gzipCodec = {
  compress: (encoder: { buffer: Buffer }) => gzipAsync(encoder.buffer, { level: GZIP_LEVEL }),
  decompress: (buffer: Buffer) => unzipAsync(buffer),
};
// kafkajs is CommonJS: its codec table is reached through the module object (not a named ESM export).
kafkajs.CompressionCodecs[CompressionTypes.GZIP] = () => gzipCodec;

/** The kafkajs producer settings (exported so bench:events' raw kafkajs side runs with the same ones). */
export const kafkaProducerSettings = { idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false } as const;

interface PendingSend {
  messages: WireMessage[];
  resolve: () => void;
  reject: (err: Error) => void;
}

export class EventProducer {
  private readonly producer: Producer;
  private ready?: Promise<void>;
  private flushing = false;
  private closed = false;
  private readonly queue: PendingSend[] = [];

  constructor(
    kafka: Kafka,
    private readonly names: TopicNames,
    private readonly metrics: EventMetrics,
  ) {
    this.producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, ...kafkaProducerSettings });
  }

  /** Connects (again, after disconnect()). Sends connect on their own unless the producer was disconnected. */
  connect(): Promise<void> {
    this.closed = false;
    return this.ensureConnected();
  }

  private ensureConnected(): Promise<void> {
    // A send after disconnect() is a shutdown-order bug (e.g. an outbox flush after the producer closed): fail loudly.
    if (this.closed) return Promise.reject(new Error('the Kafka producer is disconnected (send after shutdown); the service must flush before closing the bus'));
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
    await this.ensureConnected();
    await this.producer.send({ topic, acks: -1, messages: [message] });
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.queue.length) {
        const pending = this.queue.splice(0, this.queue.length);
        try {
          await this.ensureConnected();
          // Requests stay under managed Kafka's request size limit (connection.ts); order per topic is kept.
          const messages = pending.length === 1 ? pending[0]!.messages : pending.flatMap((p) => p.messages);
          // A definition that asks for compression (large payloads) compresses the requests it is in.
          const compress = messages.some((m) => m.compress);
          for (const byTopic of requestsOf(messages)) {
            await this.producer.sendBatch({
              acks: -1,
              ...(compress ? { compression: CompressionTypes.GZIP } : {}),
              topicMessages: [...byTopic].map(([topic, list]) => ({ topic: this.names.physical(topic), messages: list })),
            });
            for (const [topic, list] of byTopic) this.metrics.published.inc({ topic }, list.length);
          }
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
    this.closed = true;
    if (this.ready) {
      const connected = this.ready;
      this.ready = undefined;
      await connected.catch(() => undefined);
      await this.producer.disconnect();
    }
  }
}

/** A message as kafkajs takes it. The value stays a string: kafkajs writes it into its request buffer
 *  directly, while a Buffer per value (encoded once here, as before) cost an allocation per message and
 *  more CPU overall (A/B in one process: lower CPU per message in 15 of 20 interleaved pairs). */
interface KafkaMessageOut {
  key: string;
  value: string;
  headers: Record<string, string>;
}

const headerBytes = (headers: Record<string, string>) => {
  let n = 0;
  for (const k in headers) n += k.length + Buffer.byteLength(headers[k]!);
  return n;
};

/** Splits messages into produce requests of at most BATCH_BYTES_BUDGET bytes (a larger message goes alone). */
export function requestsOf(messages: WireMessage[], budget = BATCH_BYTES_BUDGET): Map<string, KafkaMessageOut[]>[] {
  const requests: Map<string, KafkaMessageOut[]>[] = [];
  let current = new Map<string, KafkaMessageOut[]>();
  let bytes = 0;
  // publishMany's messages share one headers object: measure it once.
  let lastHeaders: Record<string, string> | undefined;
  let lastHeaderBytes = 0;
  for (const m of messages) {
    const value = m.value;
    if (m.headers !== lastHeaders) {
      lastHeaders = m.headers;
      lastHeaderBytes = headerBytes(m.headers);
    }
    // UTF-8 bytes, not string length: the budget is about what goes on the wire.
    const size = Buffer.byteLength(value) + Buffer.byteLength(m.key) + lastHeaderBytes + 64;
    if (bytes > 0 && bytes + size > budget) {
      requests.push(current);
      current = new Map();
      bytes = 0;
    }
    let list = current.get(m.topic);
    if (!list) current.set(m.topic, (list = []));
    list.push({ key: m.key, value, headers: m.headers });
    bytes += size;
  }
  if (bytes > 0) requests.push(current);
  return requests;
}
