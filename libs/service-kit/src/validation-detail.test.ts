import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { registerProblemHandlers } from './errors.js';

// The same ajv options as createServiceApp.
const app = Fastify({ ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: true, verbose: true } } }).withTypeProvider<TypeBoxTypeProvider>();
registerProblemHandlers(app);
app.post(
  '/paint/:wallId',
  {
    schema: {
      params: Type.Object({ wallId: Type.String({ format: 'uuid' }) }),
      querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 500, default: 20 }) }),
      body: Type.Object(
        {
          name: Type.String({ minLength: 1, maxLength: 10 }),
          finish: Type.Union([Type.Literal('matte'), Type.Literal('satin'), Type.Literal('gloss')]),
          coats: Type.Optional(Type.Array(Type.Object({ at: Type.String({ format: 'date-time' }) }, { additionalProperties: false }), { maxItems: 2 })),
        },
        { additionalProperties: false },
      ),
    },
  },
  async () => ({ ok: true }),
);
afterAll(() => app.close());

const WALL = '00000000-0000-4000-8000-000000000000';
const post = async (url: string, payload: unknown) => {
  const res = await app.inject({ method: 'POST', url, payload: payload as object });
  return { status: res.statusCode, body: res.json() as { code: string; detail: string } };
};

describe('validation problems name the field and what is allowed', () => {
  it('an unknown field lists the allowed ones', async () => {
    const r = await post(`/paint/${WALL}`, { name: 'hall', finish: 'matte', colour: 'red' });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('VALIDATION_FAILED');
    expect(r.body.detail).toBe('unknown field `colour` in body; allowed: name, finish, coats');
  });

  it('a union of literals lists its values once, not one line per constant', async () => {
    const r = await post(`/paint/${WALL}`, { name: 'hall', finish: 'shiny' });
    expect(r.body.detail).toBe('`finish` in body must be one of: matte, satin, gloss');
  });

  it('limits, missing fields, nested paths and formats', async () => {
    expect((await post(`/paint/${WALL}?limit=501`, { name: 'hall', finish: 'matte' })).body.detail).toBe('`limit` in querystring must be ≤ 500');
    expect((await post(`/paint/${WALL}`, { finish: 'matte' })).body.detail).toBe('missing field `name` in body');
    expect((await post(`/paint/${WALL}`, { name: 'a much too long name', finish: 'matte', coats: [{ at: 'yesterday' }, { at: '2026-12-01T10:00:00Z', by: 'x' }] })).body.detail).toBe(
      '`name` in body must be at most 10 characters; `coats[0].at` in body must be a valid date-time; unknown field `coats[1].by` in body; allowed: at',
    );
    expect((await post('/paint/not-a-uuid', { name: 'hall', finish: 'matte' })).body.detail).toBe('`wallId` in params must be a valid uuid');
    expect((await post(`/paint/${WALL}?limit=many`, { name: 'hall', finish: 'matte' })).body.detail).toBe('`limit` in querystring must be integer');
  });
});
