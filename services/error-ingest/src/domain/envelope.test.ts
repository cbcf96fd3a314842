import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '@vigil/service-kit';
import { parseEnvelope, parseItemJson } from './envelope.js';
import type { AppError } from '@vigil/service-kit';

const rejection = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err as AppError;
  }
  throw new Error('expected a rejection');
};

describe('parseEnvelope', () => {
  it('reads items with and without length, including payloads that contain newlines', () => {
    const body = Buffer.from('{"event_id":"a"}\n{"type":"attachment","length":5}\nab\ncd\n{"type":"event"}\n{"x":1}\n');
    const env = parseEnvelope(body);
    expect(env.header).toEqual({ event_id: 'a' });
    expect(env.items.map((i) => [i.type, i.payload.toString()])).toEqual([
      ['attachment', 'ab\ncd'],
      ['event', '{"x":1}'],
    ]);
  });

  it('accepts a last item without a trailing newline and counts length in bytes, not characters', () => {
    const payload = '{"m":"héllo"}';
    const env = parseEnvelope(Buffer.from(`{}\n{"type":"event","length":${Buffer.byteLength(payload)}}\n${payload}`));
    expect(env.items[0]!.payload.toString()).toBe(payload);
  });

  it('rejects lengths that run past the body or are not integers', () => {
    expect(rejection(() => parseEnvelope(Buffer.from('{}\n{"type":"event","length":99}\n{}'))).code).toBe('ERRORS_ITEM_LENGTH_INVALID');
    expect(rejection(() => parseEnvelope(Buffer.from('{}\n{"type":"event","length":1.5}\n{}'))).code).toBe('ERRORS_ITEM_LENGTH_INVALID');
    expect(rejection(() => parseEnvelope(Buffer.from(''))).code).toBe('ERRORS_EMPTY_BODY');
  });
});

describe('nesting depth', () => {
  const nested = (depth: number) => Buffer.from('{"a":'.repeat(depth) + '1' + '}'.repeat(depth));

  it('refuses an item nested past the limit with a 400 naming the limit, and parses one at the limit', () => {
    expect(parseItemJson({ type: 'event', header: {}, payload: nested(MAX_JSON_DEPTH - 1) })).toHaveProperty('a');
    const err = rejection(() => parseItemJson({ type: 'event', header: {}, payload: nested(6000) }));
    expect(err.status).toBe(400);
    expect(err.code).toBe('ERRORS_EVENT_INVALID');
    expect(err.detail).toContain(`deeper than ${MAX_JSON_DEPTH} levels`);
  });
});
