// Silences API: create (time window and/or until resolved), list, expire.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { expireSilence, insertSilence, listSilences } from '../db/silences.js';
import { InvalidInput } from '../domain/labels.js';
import { SilenceInput, validateSilence } from '../domain/silences.js';
import { silenceInvalid, silenceNotFound } from '../errors.js';
import type { AlertingDeps } from '../operations/deps.js';
import { IdParams } from './schemas.js';

const Silence = Type.Object({
  id: Type.String(),
  matchers: Type.Array(Type.String()),
  startsAt: Type.String(),
  endsAt: Type.Union([Type.String(), Type.Null()]),
  untilResolved: Type.Boolean(),
  createdBy: Type.String(),
  comment: Type.String(),
  expiredAt: Type.Union([Type.String(), Type.Null()]),
});

export const silenceRoutes: FastifyPluginAsyncTypebox<{ deps: AlertingDeps }> = async (app, { deps }) => {
  const { pool } = deps;
  app.get('/silences', { schema: { tags: ['silences'], response: { 200: Type.Array(Silence) } } }, async (req) => listSilences(pool, req.principal.tenantId));

  app.post('/silences', { schema: { tags: ['silences'], body: SilenceInput, response: { 201: Silence } } }, async (req, reply) => {
    let window;
    try {
      window = validateSilence(req.body, new Date());
    } catch (err) {
      throw err instanceof InvalidInput ? silenceInvalid(err.message) : err;
    }
    const silence = await insertSilence(pool, req.principal.tenantId, {
      matchers: req.body.matchers, ...window, untilResolved: req.body.untilResolved ?? false, createdBy: `key:${req.principal.keyId}`, comment: req.body.comment ?? '',
    });
    return reply.status(201).send(silence);
  });

  app.delete('/silences/:id', { schema: { tags: ['silences'], params: IdParams, response: { 200: Silence } } }, async (req) => {
    return (await expireSilence(pool, req.principal.tenantId, req.params.id)) ?? Promise.reject(silenceNotFound(req.params.id));
  });
};
