// One definition per event: its topic, version, payload schema and partition key.
// Everything that sends or receives an event goes through one of these.
import type { Static, TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import './formats.js'; // registers the uuid and date-time formats before any schema compiles

export interface EventDefinition<S extends TSchema = TSchema> {
  /** Stable event name, e.g. `HealthScored`. */
  readonly type: string;
  /** Kafka topic; several versions of one event share it. */
  readonly topic: string;
  readonly version: number;
  readonly description: string;
  readonly schema: S;
  /** Partition key: events with the same key keep their order. */
  readonly key: (data: Static<S>) => string;
  /** Compacted topics keep the latest event per key (state topics). */
  readonly compacted: boolean;
  /** The topic's `max.message.bytes`, when its messages may exceed the broker default (about 1 MiB). */
  readonly maxMessageBytes?: number;
  /** Produce requests carrying this event are gzip-compressed (large, repetitive payloads). */
  readonly compression?: 'gzip';
  /** A data stream (one message per ingested item, with its payload) for its owner's consumer only:
   *  generic listeners of the whole catalog (the console's stream and history) skip its topic. */
  readonly firehose?: boolean;
  /** Compiled validator, built once. */
  readonly check: TypeCheck<S>;
}

export interface EventSpec<S extends TSchema> {
  type: string;
  topic: string;
  version: number;
  description: string;
  schema: S;
  key: (data: Static<S>) => string;
  compacted?: boolean;
  maxMessageBytes?: number;
  compression?: 'gzip';
  firehose?: boolean;
}

export function defineEvent<S extends TSchema>(spec: EventSpec<S>): EventDefinition<S> {
  return Object.freeze({ ...spec, compacted: spec.compacted ?? false, check: TypeCompiler.Compile(spec.schema) });
}

export type EventData<E> = E extends EventDefinition<infer S> ? Static<S> : never;

/** The envelope every event travels in. `data` is the catalogued payload. */
export interface Envelope<T = unknown> {
  id: string;
  type: string;
  version: number;
  source: string;
  tenantId: string;
  occurredAt: string;
  data: T;
}

export type EnvelopeOf<E> = Envelope<EventData<E>>;

/** Any catalogued event, whatever its payload (for lists of definitions). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyEventDefinition = EventDefinition<any>;
