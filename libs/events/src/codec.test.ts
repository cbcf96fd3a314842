// The codec: the one place where typed events become Kafka messages and back.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Type } from '@sinclair/typebox';
import { buildEnvelope, encodeWire, encodeWireWithJson, parseEnvelope, validate } from './codec.js';
import { defineEvent } from './define.js';
import { EventValidationError } from './errors.js';
import { isUuid, UUID_PATTERN } from './formats.js';

const Thing = defineEvent({
  type: 'ThingHappened',
  topic: 'test.things',
  version: 2,
  description: 'test',
  key: (d) => d.thingId,
  schema: Type.Object({ thingId: Type.String({ format: 'uuid' }), at: Type.String({ format: 'date-time' }), count: Type.Integer({ minimum: 0 }) }),
});
const data = { thingId: '0b6c1f9e-4a1d-4f6e-9c55-2f1c3d4e5f60', at: '2026-01-02T03:04:05.678Z', count: 3 };

afterEach(() => {
  vi.useRealTimers();
});

describe('buildEnvelope', () => {
  it('validates and wraps the payload with id, type, version, source, tenant and time', () => {
    const e = buildEnvelope(Thing, data, { tenantId: 'acme', source: 'svc' });
    expect(isUuid(e.id)).toBe(true);
    expect(e).toMatchObject({ type: 'ThingHappened', version: 2, source: 'svc', tenantId: 'acme', data });
    expect(Date.parse(e.occurredAt)).not.toBeNaN();
    const fixed = buildEnvelope(Thing, data, { tenantId: 'acme', source: 'svc', id: data.thingId, occurredAt: new Date('2026-05-06T07:08:09Z') });
    expect(fixed.id).toBe(data.thingId);
    expect(fixed.occurredAt).toBe('2026-05-06T07:08:09.000Z');
  });

  it('stamps the current millisecond, and the next one once the clock moves (the ISO string is reused within a millisecond)', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-03-04T05:06:07.008Z'));
    const a = buildEnvelope(Thing, data, { tenantId: 'acme', source: 'svc' });
    const b = buildEnvelope(Thing, data, { tenantId: 'acme', source: 'svc' });
    vi.setSystemTime(new Date('2026-03-04T05:06:07.009Z'));
    const c = buildEnvelope(Thing, data, { tenantId: 'acme', source: 'svc' });
    vi.setSystemTime(new Date('2027-01-01T00:00:00.000Z'));
    const d = buildEnvelope(Thing, data, { tenantId: 'acme', source: 'svc' });
    expect([a.occurredAt, b.occurredAt, c.occurredAt, d.occurredAt]).toEqual(['2026-03-04T05:06:07.008Z', '2026-03-04T05:06:07.008Z', '2026-03-04T05:06:07.009Z', '2027-01-01T00:00:00.000Z']);
    expect(a.id).not.toBe(b.id);
  });

  it('rejects an invalid payload naming each bad field, five at most', () => {
    const bad = { thingId: 'not-a-uuid', at: 'yesterday', count: -1 };
    let err: unknown;
    try {
      buildEnvelope(Thing, bad as typeof data, { tenantId: 'acme', source: 'svc' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EventValidationError);
    const v = err as EventValidationError;
    expect(v.eventType).toBe('ThingHappened v2');
    expect(v.problems.join(' ')).toMatch(/\/thingId/);
    expect(v.problems.join(' ')).toMatch(/\/at/);
    expect(v.problems.join(' ')).toMatch(/\/count/);
    expect(v.problems.length).toBeLessThanOrEqual(5);
    const many = defineEvent({ type: 'Many', topic: 'test.many', version: 1, description: 'test', key: () => 'k', schema: Type.Object(Object.fromEntries('abcdefgh'.split('').map((k) => [k, Type.Integer()]))) });
    expect(() => validate(many, {})).toThrow(EventValidationError);
    try {
      validate(many, {});
    } catch (e) {
      expect((e as EventValidationError).problems).toHaveLength(5);
    }
  });
});

describe('encodeWire / parseEnvelope', () => {
  it('round-trips: key from the definition, the envelope as JSON, the caller\'s headers as given (no catalog headers)', () => {
    const e = buildEnvelope(Thing, data, { tenantId: 'acme', source: 'svc' });
    const headers = { traceparent: '00-abc-def-01' };
    const wire = encodeWire(Thing, e, headers);
    expect(wire.topic).toBe('test.things');
    expect(wire.key).toBe(data.thingId);
    // Type and version travel in the envelope only (vigil-type / vigil-version were dropped from the wire).
    expect(wire.headers).toEqual({ traceparent: '00-abc-def-01' });
    expect(wire.headers).toBe(headers); // publishMany shares one object among its messages
    expect(encodeWire(Thing, e, {}).headers).toEqual({});
    expect(JSON.parse(wire.value)).toMatchObject({ type: 'ThingHappened', version: 2 });
    expect(parseEnvelope(Buffer.from(wire.value))).toEqual(e);
    expect(wire.compress).toBeUndefined();
  });

  it('parseEnvelope checks every time stamp, also right after a valid one', () => {
    const e = buildEnvelope(Thing, data, { tenantId: 'acme', source: 'svc' });
    const raw = (occurredAt: string) => Buffer.from(JSON.stringify({ ...e, occurredAt }));
    expect(parseEnvelope(raw(e.occurredAt)).occurredAt).toBe(e.occurredAt);
    expect(parseEnvelope(raw(e.occurredAt)).occurredAt).toBe(e.occurredAt);
    expect(() => parseEnvelope(raw('2026-13-45T99:00:00Z'))).toThrow(EventValidationError);
    expect(() => parseEnvelope(raw(`${e.occurredAt}x`))).toThrow(EventValidationError);
    expect(parseEnvelope(raw(e.occurredAt)).occurredAt).toBe(e.occurredAt);
  });

  it('refuses what is not a well-formed envelope, saying what is wrong', () => {
    const problems = (raw: Buffer | null) => {
      try {
        parseEnvelope(raw);
        return [];
      } catch (err) {
        expect(err).toBeInstanceOf(EventValidationError);
        return (err as EventValidationError).problems;
      }
    };
    expect(problems(null)).toEqual(['empty message']);
    expect(problems(Buffer.alloc(0))).toEqual(['empty message']);
    expect(problems(Buffer.from('{nope'))[0]).toMatch(/^not JSON/);
    expect(problems(Buffer.from('42'))).toEqual(['not an object']);
    expect(problems(Buffer.from('null'))).toEqual(['not an object']);
    expect(problems(Buffer.from(JSON.stringify({ id: 'x', type: '', version: 1.5, tenantId: '', occurredAt: 'soon' })))).toEqual([
      '/id: must be a UUID',
      '/type: required',
      '/version: must be an integer',
      '/source: required',
      '/tenantId: required',
      '/occurredAt: must be a date-time',
      '/data: required',
    ]);
  });
});

describe('UUID_PATTERN', () => {
  it('is the one UUID check, used by the uuid format too', () => {
    expect(UUID_PATTERN.test(data.thingId.toUpperCase())).toBe(true);
    expect(isUuid(`${data.thingId}0`)).toBe(false);
    expect(Thing.check.Check({ ...data, thingId: 'x' })).toBe(false);
    expect(Thing.check.Check(data)).toBe(true);
  });
});

describe('encodeWireWithJson', () => {
  const Carrier = defineEvent({
    type: 'Carried',
    topic: 'test.carried',
    version: 1,
    description: 'test',
    key: (d) => d.key,
    compression: 'gzip',
    schema: Type.Object({ key: Type.String(), payload: Type.Record(Type.String(), Type.Unknown()) }),
  });

  it('puts the JSON text of a field into the message as it is; the message parses to the same envelope as encodeWire', () => {
    // Whitespace, escapes, a lone surrogate escape, non-ASCII, a big integer literal: all kept as sent.
    const json = ' { "a" : [1, 2.50, {"b": "x\\u0041y"}], "s": "\\ud800 é€😀", "n": 12345678901234567890 , "q": "\\"" } ';
    const parsed = JSON.parse(json) as Record<string, unknown>;
    const envelope = buildEnvelope(Carrier, { key: 'k1', payload: parsed }, { tenantId: 'acme', source: 'svc' });
    const wire = encodeWireWithJson(Carrier, envelope, { traceparent: 't' }, 'payload', json);
    expect(wire.value).toContain(json);
    expect(parseEnvelope(Buffer.from(wire.value))).toEqual(parseEnvelope(Buffer.from(encodeWire(Carrier, envelope, {}).value)));
    expect(wire).toMatchObject({ topic: 'test.carried', key: 'k1', compress: true });
    expect(wire.headers).toEqual({ traceparent: 't' });
    // The field alone in data.
    const Only = defineEvent({ type: 'Only', topic: 'test.only', version: 1, description: 'test', key: () => 'k', schema: Type.Object({ payload: Type.Record(Type.String(), Type.Unknown()) }) });
    const only = buildEnvelope(Only, { payload: parsed }, { tenantId: 'acme', source: 'svc' });
    expect(parseEnvelope(Buffer.from(encodeWireWithJson(Only, only, {}, 'payload', json).value)).data).toEqual({ payload: parsed });
  });
});
