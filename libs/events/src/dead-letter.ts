// Dead-lettering: a message that fails validation, throws NonRetriableError or exhausts its
// attempts goes to `<topic>.dlq` with headers saying why and where from; the partition moves on.
import type { KafkaMessage } from 'kafkajs';
import { EventValidationError, NonRetriableError } from './errors.js';
import type { EventLogger } from './bus.js';
import type { EventMetrics } from './metrics.js';
import type { EventProducer } from './producer.js';
import { DLQ_SUFFIX, type TopicNames } from './topics.js';

export type DeadLetterReason = 'validation' | 'non-retriable' | 'retries-exhausted';

export function deadLetterReason(err: Error): DeadLetterReason {
  return err instanceof EventValidationError ? 'validation' : err instanceof NonRetriableError ? 'non-retriable' : 'retries-exhausted';
}

export interface DeadLetterOrigin {
  group: string;
  /** Logical topic name. */
  topic: string;
  partition: number;
  message: KafkaMessage;
}

/** The DLQ copy's headers: the original ones plus `vigil-dlq-*`. */
export function deadLetterHeaders(origin: DeadLetterOrigin, err: Error, attempts: number, at = new Date()): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(origin.message.headers ?? {})) if (v !== undefined) headers[k] = String(Array.isArray(v) ? v[0] : v);
  return Object.assign(headers, {
    'vigil-dlq-reason': deadLetterReason(err),
    'vigil-dlq-error': err.message.slice(0, 1000),
    'vigil-dlq-origin-topic': origin.topic,
    'vigil-dlq-origin-partition': String(origin.partition),
    'vigil-dlq-origin-offset': origin.message.offset,
    'vigil-dlq-group': origin.group,
    'vigil-dlq-attempts': String(attempts),
    'vigil-dlq-at': at.toISOString(),
  });
}

export class DeadLetters {
  constructor(
    private readonly producer: EventProducer,
    private readonly names: TopicNames,
    private readonly metrics: EventMetrics,
  ) {}

  /** If the DLQ itself cannot be written, this throws and the message is redelivered: never dropped. */
  async send(origin: DeadLetterOrigin, err: Error, attempts: number, log: EventLogger): Promise<void> {
    await this.producer.sendRaw(this.names.physical(origin.topic + DLQ_SUFFIX), {
      key: origin.message.key,
      value: origin.message.value,
      headers: deadLetterHeaders(origin, err, attempts),
    });
    this.metrics.consumed.inc({ topic: origin.topic, group: origin.group, outcome: 'dlq' });
    log.error({ reason: deadLetterReason(err), error: err.message, attempts }, 'event dead-lettered');
  }
}
