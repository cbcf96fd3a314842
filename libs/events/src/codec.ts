// Envelope encoding and validation: the single place where typed events become bytes and back.
import { randomUUID } from 'node:crypto';
import type { Envelope, EventDefinition } from './define.js';
import { EventValidationError } from './errors.js';
import { isUuid } from './formats.js';
import type { Static, TSchema } from '@sinclair/typebox';

export function validate<S extends TSchema>(def: EventDefinition<S>, data: unknown): asserts data is Static<S> {
  if (def.check.Check(data)) return;
  const problems = [...def.check.Errors(data)].slice(0, 5).map((e) => `${e.path || '/'}: ${e.message}`);
  throw new EventValidationError(`${def.type} v${def.version}`, problems);
}

// new Date().toISOString() is a measurable share of building an envelope; a publishMany of
// hundreds of events lands in the same millisecond, so the string of the current one is reused.
let isoMs = -1;
let isoString = '';
function nowIso(): string {
  const ms = Date.now();
  if (ms !== isoMs) {
    isoString = new Date(ms).toISOString();
    isoMs = ms;
  }
  return isoString;
}

export interface EnvelopeOptions {
  tenantId: string;
  source: string;
  id?: string;
  occurredAt?: Date;
}

export function buildEnvelope<S extends TSchema>(def: EventDefinition<S>, data: Static<S>, opts: EnvelopeOptions): Envelope<Static<S>> {
  return envelopeFrom(def, data, opts, opts.source);
}

/** buildEnvelope with the source apart (the bus and the outbox pass the caller's options as they are, no copy per event). */
export function envelopeFrom<S extends TSchema>(def: EventDefinition<S>, data: Static<S>, opts: Omit<EnvelopeOptions, 'source'>, source: string): Envelope<Static<S>> {
  validate(def, data);
  return {
    id: opts.id ?? randomUUID(),
    type: def.type,
    version: def.version,
    source,
    tenantId: opts.tenantId,
    occurredAt: opts.occurredAt ? opts.occurredAt.toISOString() : nowIso(),
    data,
  };
}

// The envelopes of one publishMany share their time stamp (one per millisecond): the last valid one is
// remembered, so Date.parse runs once per distinct time stamp rather than once per message.
let lastValidTime = '';
function isTime(v: string): boolean {
  if (v === lastValidTime) return true;
  if (Number.isNaN(Date.parse(v))) return false;
  lastValidTime = v;
  return true;
}

/** Parses the raw value; throws EventValidationError on anything that is not a well-formed envelope. */
export function parseEnvelope(raw: Buffer | null): Envelope {
  if (!raw || raw.length === 0) throw new EventValidationError('envelope', ['empty message']);
  let value: unknown;
  try {
    // toString() without an encoding is UTF-8 on Buffer's shortest path.
    value = JSON.parse(raw.toString());
  } catch (err) {
    throw new EventValidationError('envelope', [`not JSON: ${(err as Error).message}`]);
  }
  const e = value as Partial<Envelope>;
  // One test for a well-formed envelope; the list of what is wrong is built only for a bad one.
  if (
    typeof e === 'object' &&
    e !== null &&
    typeof e.id === 'string' &&
    isUuid(e.id) &&
    typeof e.type === 'string' &&
    e.type !== '' &&
    Number.isInteger(e.version) &&
    typeof e.source === 'string' &&
    typeof e.tenantId === 'string' &&
    e.tenantId !== '' &&
    typeof e.occurredAt === 'string' &&
    isTime(e.occurredAt) &&
    'data' in e
  )
    return e as Envelope;
  throw new EventValidationError('envelope', envelopeProblems(e));
}

function envelopeProblems(e: Partial<Envelope>): string[] {
  if (typeof e !== 'object' || e === null) return ['not an object'];
  const problems: string[] = [];
  if (typeof e.id !== 'string' || !isUuid(e.id)) problems.push('/id: must be a UUID');
  if (typeof e.type !== 'string' || !e.type) problems.push('/type: required');
  if (!Number.isInteger(e.version)) problems.push('/version: must be an integer');
  if (typeof e.source !== 'string') problems.push('/source: required');
  if (typeof e.tenantId !== 'string' || !e.tenantId) problems.push('/tenantId: required');
  if (typeof e.occurredAt !== 'string' || !isTime(e.occurredAt)) problems.push('/occurredAt: must be a date-time');
  if (!('data' in e)) problems.push('/data: required');
  return problems;
}

/** A message already encoded for Kafka (the outbox stores these); `topic` is the catalogued (logical) name. */
export interface WireMessage {
  topic: string;
  key: string;
  value: string;
  headers: Record<string, string>;
  /** Compress the produce request (from the definition; outbox rows are sent uncompressed). */
  compress?: boolean;
}

/**
 * The Kafka message of an envelope: partition key from the definition, the envelope as JSON, and the
 * caller's headers as given (the W3C trace context, when a span is active). Type and version travel in
 * the envelope only, which is what consumers dispatch on; messages written before the catalog headers
 * `vigil-type` / `vigil-version` were dropped still carry them, and nothing reads them. `headers` may be
 * shared among the messages of one publishMany: kafkajs only reads it.
 */
export function encodeWire<S extends TSchema>(def: EventDefinition<S>, envelope: Envelope<Static<S>>, headers: Record<string, string>): WireMessage {
  const wire: WireMessage = { topic: def.topic, key: def.key(envelope.data), value: JSON.stringify(envelope), headers };
  if (def.compression) wire.compress = true;
  return wire;
}

/**
 * encodeWire for an envelope one of whose data fields arrived as JSON text (an ingested payload,
 * parsed and validated by the caller): `json` goes into the message as it is, instead of the field
 * being serialised again. `json` must be the text `envelope.data[field]` was parsed from.
 */
export function encodeWireWithJson<S extends TSchema>(def: EventDefinition<S>, envelope: Envelope<Static<S>>, headers: Record<string, string>, field: string, json: string): WireMessage {
  const { [field]: _given, ...rest } = envelope.data as Record<string, unknown>;
  const { id, type, version, source, tenantId, occurredAt } = envelope;
  // `data` last, the field last in it: the text ends with `}}` and the field goes before them.
  const text = JSON.stringify({ id, type, version, source, tenantId, occurredAt, data: rest });
  const value = `${text.slice(0, -2)}${Object.keys(rest).length ? ',' : ''}${JSON.stringify(field)}:${json}}}`;
  return { topic: def.topic, key: def.key(envelope.data), value, headers, ...(def.compression ? { compress: true } : {}) };
}
