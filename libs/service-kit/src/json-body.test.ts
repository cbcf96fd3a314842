import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { registerProblemHandlers } from './errors.js';
import { limitJsonDepth, nestsDeeperThan } from './json-body.js';

const nested = (depth: number, open = '{"a":', close = '}') => Buffer.from(open.repeat(depth) + '1' + close.repeat(depth));

describe('nestsDeeperThan', () => {
  it('counts objects and arrays, not brackets inside strings', () => {
    expect(nestsDeeperThan(nested(128), 128)).toBe(false);
    expect(nestsDeeperThan(nested(129), 128)).toBe(true);
    expect(nestsDeeperThan(nested(129, '[', ']'), 128)).toBe(true);
    expect(nestsDeeperThan(Buffer.from(`{"s":"${'{['.repeat(500)}\\"${'['.repeat(500)}"}`), 2)).toBe(false);
    expect(nestsDeeperThan(Buffer.from('[{"a":[{"b":[]}]}]'), 4)).toBe(true);
    expect(nestsDeeperThan(Buffer.from('[{"a":[{"b":[]}]}]'), 5)).toBe(false);
  });

});

describe('limitJsonDepth', () => {
  async function app() {
    const a = Fastify();
    registerProblemHandlers(a);
    limitJsonDepth(a);
    // What a free-form body does next: stringify it (a jsonb parameter, a Kafka message).
    a.post('/echo', async (req) => ({ bytes: JSON.stringify(req.body).length }));
    await a.ready();
    return a;
  }

  it('refuses a body nested past the limit with a 400 naming it; one within it reaches the handler', async () => {
    const a = await app();
    const deep = await a.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: nested(20_000) });
    expect(deep.statusCode).toBe(400);
    expect(deep.json()).toMatchObject({ code: 'BODY_TOO_DEEP', detail: expect.stringContaining('deeper than 128 levels') });
    const ok = await a.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json; charset=utf-8' }, payload: nested(128) });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ bytes: nested(128).length });
  });

  it('keeps fastify’s own parser behind it: invalid JSON, an empty body and prototype poisoning are 400s', async () => {
    const a = await app();
    const send = (payload: string) => a.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload });
    expect((await send('{"a":')).statusCode).toBe(400);
    expect((await send('')).statusCode).toBe(400);
    expect((await send('{"__proto__":{"admin":true}}')).statusCode).toBe(400);
    expect((await send('{"constructor":{"prototype":{"admin":true}}}')).statusCode).toBe(400);
  });
});
