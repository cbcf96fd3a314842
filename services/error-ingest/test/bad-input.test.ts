// A corpus of bad inputs: each gets the right 4xx with X-Sentry-Error, and the process
// keeps serving (checked after every case with a good event).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, constants, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect } from 'vitest';
import { envelopeOf, errorEvent, errorIngestTest, sendEnvelope, sentryAuth, type Fixture } from './fixtures.js';

// The corpus goes over a real port (fetch, raw http), so the app also listens.
const it = errorIngestTest({ ERRORS_MAX_ENVELOPE_BYTES: String(4 * 1024 * 1024) }).extend<{ port: number }>({
  port: [
    async ({ f }, use) => {
      await f.app.listen({ host: '127.0.0.1', port: 0 });
      await use((f.app.server.address() as AddressInfo).port);
    },
    { scope: 'file' },
  ],
});

const line = (o: unknown) => `${JSON.stringify(o)}\n`;

interface Case {
  name: string;
  body: Buffer | string;
  headers?: Record<string, string>;
  status: number;
  detail: RegExp;
}

// Inflates to 16 MiB (four times this test's envelope limit) from a few KiB.
const BOMB = Buffer.alloc(16 * 1024 * 1024, 0x20);
const hugeFrames = Array.from({ length: 20_000 }, (_, n) => ({ filename: `/app/src/deep/file${n}.js`, function: `fn${n}`, lineno: n, in_app: true }));

const cases = (): Case[] => [
  { name: 'empty body', body: '', status: 400, detail: /empty/ },
  { name: 'truncated envelope header', body: '{"event_id":"ab', status: 400, detail: /envelope header is not valid JSON/ },
  { name: 'header is not an object', body: '[1,2]\n', status: 400, detail: /must be a JSON object/ },
  { name: 'item without type', body: line({}) + line({ length: 2 }) + '{}\n', status: 400, detail: /has no type/ },
  { name: 'truncated event JSON', body: line({}) + line({ type: 'event' }) + '{"exception": {"values": [\n', status: 400, detail: /event item is not valid JSON/ },
  { name: 'event is an array', body: line({}) + line({ type: 'event' }) + '[]\n', status: 400, detail: /must be a JSON object/ },
  { name: 'wrong type: level', body: line({}) + line({ type: 'event' }) + line({ level: 42 }), status: 400, detail: /\/level/ },
  { name: 'wrong type: exception values', body: line({}) + line({ type: 'event' }) + line({ exception: { values: 'nope' } }), status: 400, detail: /\/exception/ },
  { name: 'wrong type: fingerprint', body: line({}) + line({ type: 'event' }) + line({ fingerprint: 'x' }), status: 400, detail: /\/fingerprint/ },
  { name: 'bad event id', body: line({}) + line({ type: 'event' }) + line({ event_id: 'not-hex' }), status: 400, detail: /event_id/ },
  { name: 'length past the end', body: line({}) + line({ type: 'event', length: 5000 }) + '{}\n', status: 400, detail: /declares 5000 bytes/ },
  { name: 'negative length', body: line({}) + line({ type: 'event', length: -1 }) + '{}\n', status: 400, detail: /invalid length/ },
  { name: 'length not followed by newline', body: line({}) + line({ type: 'event', length: 1 }) + '{}\n', status: 400, detail: /not followed by a newline/ },
  { name: 'two event items', body: line({}) + line({ type: 'event' }) + line({}) + line({ type: 'event' }) + line({}), status: 400, detail: /at most one event/ },
  { name: 'invalid gzip', body: Buffer.from('definitely not gzip'), headers: { 'content-encoding': 'gzip' }, status: 400, detail: /not valid gzip/ },
  { name: 'invalid br', body: Buffer.from([1, 2, 3, 4, 5]), headers: { 'content-encoding': 'br' }, status: 400, detail: /not valid br/ },
  { name: 'unknown encoding', body: Buffer.from('x'), headers: { 'content-encoding': 'zstd' }, status: 415, detail: /not supported/ },
  { name: 'gzip bomb', body: gzipSync(BOMB), headers: { 'content-encoding': 'gzip' }, status: 413, detail: /inflates past/ },
  { name: 'deflate bomb', body: deflateSync(BOMB), headers: { 'content-encoding': 'deflate' }, status: 413, detail: /inflates past/ },
  { name: 'brotli bomb', body: brotliCompressSync(BOMB, { params: { [constants.BROTLI_PARAM_QUALITY]: 1 } }), headers: { 'content-encoding': 'br' }, status: 413, detail: /inflates past/ },
  { name: 'body past the envelope limit', body: Buffer.alloc(5 * 1024 * 1024, 0x20), status: 413, detail: /larger than/ },
  {
    name: 'event past 1 MiB',
    body: line({}) + line({ type: 'event' }) + line({ message: 'x', extra: { blob: 'y'.repeat(1_100_000) } }),
    status: 413,
    detail: /limit is 1048576/,
  },
  { name: 'huge stack trace past 1 MiB', body: line({}) + line({ type: 'event' }) + line({ exception: { values: [{ type: 'E', stacktrace: { frames: hugeFrames } }] } }), status: 413, detail: /limit is 1048576/ },
  {
    name: 'stack trace with too many frames',
    body: line({}) + line({ type: 'event' }) + line({ exception: { values: [{ type: 'E', stacktrace: { frames: Array.from({ length: 5000 }, () => ({ function: 'f' })) } }] } }),
    status: 400,
    detail: /stacktrace\/frames/,
  },
  { name: 'envelope header line past 64 KiB', body: line({ pad: 'z'.repeat(70_000) }), status: 413, detail: /header is larger/ },
];

async function post(f: Fixture, port: number, body: Buffer | string, headers: Record<string, string> = {}) {
  return fetch(`http://127.0.0.1:${port}${f.project.dsnPath}`, { method: 'POST', headers: { ...sentryAuth(f.project.publicKey), ...headers }, body: typeof body === 'string' ? body : new Uint8Array(body) });
}

describe('bad input corpus', () => {
  it('answers each bad input with the right 4xx and a precise X-Sentry-Error, and keeps serving', async ({ f, port }) => {
    for (const c of cases()) {
      const res = await post(f, port, c.body, c.headers);
      const text = await res.text();
      expect(res.status, `${c.name}: ${text}`).toBe(c.status);
      expect(res.headers.get('x-sentry-error'), c.name).toMatch(c.detail);
      expect(JSON.parse(text).detail, c.name).toMatch(c.detail);
      const ok = await sendEnvelope(f, errorEvent());
      expect(ok.statusCode, `after ${c.name}`).toBe(200);
    }
  });

  it('refuses oversized request headers (431) and keeps serving', async ({ f, port }) => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: f.project.dsnPath, method: 'POST', headers: { 'x-padding': 'p'.repeat(64 * 1024) } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(envelopeOf(errorEvent()));
    });
    expect(status).toBe(431);
    const longAuth = await post(f, port, envelopeOf(errorEvent()), { 'x-sentry-auth': `Sentry sentry_key=${'a'.repeat(4000)}` });
    expect(longAuth.status).toBe(403);
    expect((await sendEnvelope(f, errorEvent())).statusCode).toBe(200);
  });
});
