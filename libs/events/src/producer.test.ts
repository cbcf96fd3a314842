// Produce requests under the request size budget (counted in UTF-8 bytes), order per topic kept.
import { describe, expect, it } from 'vitest';
import type { WireMessage } from './codec.js';
import { gzipSync } from 'node:zlib';
import kafkajs, { CompressionTypes } from 'kafkajs';
import { GZIP_LEVEL, gzipCodec, requestsOf } from './producer.js';

const headers = { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' };
const wire = (topic: string, n: number, value: string, h: Record<string, string> = headers): WireMessage => ({ topic, key: `k${n}`, value, headers: h });

describe('requestsOf', () => {
  it('hands kafkajs the values as they are (kafkajs encodes strings as UTF-8), with the headers and keys', () => {
    const [request] = requestsOf([wire('a', 1, '{"x":"é€😀"}'), wire('a', 2, '{}', { ...headers, 'x-extra': 't' })]);
    const list = request!.get('a')!;
    expect(list.map((m) => m.value)).toEqual(['{"x":"é€😀"}', '{}']);
    expect(list.map((m) => [m.key, m.headers])).toEqual([['k1', headers], ['k2', { ...headers, 'x-extra': 't' }]]);
  });

  it('splits by UTF-8 bytes, not string length, and keeps per-topic order across requests', () => {
    // 100,000 three-byte characters are 300,000 bytes: with key and headers two fit under 900,000,
    // not three (counted by string length, eight would).
    const big = '€'.repeat(100_000);
    const messages = Array.from({ length: 10 }, (_, n) => wire(n % 2 ? 'a' : 'b', n, big));
    const requests = requestsOf(messages, 900_000);
    expect(requests.map((r) => [...r.values()].flat().length)).toEqual([2, 2, 2, 2, 2]);
    for (const r of requests) expect([...r.values()].flat().reduce((n, m) => n + Buffer.byteLength(m.value), 0)).toBeLessThan(900_000);
    for (const topic of ['a', 'b']) expect(requests.flatMap((r) => r.get(topic) ?? []).map((m) => m.key)).toEqual(messages.filter((m) => m.topic === topic).map((m) => m.key));
  });

  it('sends a message larger than the budget alone, and nothing for no messages', () => {
    const requests = requestsOf([wire('a', 1, 'x'), wire('a', 2, 'y'.repeat(2_000)), wire('a', 3, 'z')], 1_000);
    expect(requests.map((r) => r.get('a')!.map((m) => m.key))).toEqual([['k1'], ['k2'], ['k3']]);
    expect(requestsOf([])).toEqual([]);
  });
});

describe('gzip codec', () => {
  it('is the one kafkajs uses, compresses at GZIP_LEVEL and reads back what it wrote', async () => {
    expect(kafkajs.CompressionCodecs[CompressionTypes.GZIP]()).toBe(gzipCodec);
    const data = Buffer.from(JSON.stringify(Array.from({ length: 500 }, (_, n) => ({ n, message: `GET /inventory/${n % 7} [200]` }))));
    const out = await gzipCodec.compress({ buffer: data });
    expect(GZIP_LEVEL).toBe(1);
    expect(out.equals(gzipSync(data, { level: 1 }))).toBe(true);
    expect(out.equals(gzipSync(data))).toBe(false);
    expect((await gzipCodec.decompress(out)).equals(data)).toBe(true);
    expect((await gzipCodec.decompress(gzipSync(data, { level: 9 }))).equals(data)).toBe(true);
  });
});
