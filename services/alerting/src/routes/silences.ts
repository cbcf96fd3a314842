// Silences API: create (time window and/or until resolved), list, expire.
import { Type } from '@sinclair/typebox';
import { PageOf, PageQuery } from '@vigil/service-kit';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { SilenceInput } from '../domain/silences.js';
import type { AlertingDeps } from '../operations/deps.js';
import { createSilence, endSilence, silencesOf } from '../operations/silences.js';
import { SilenceParams } from './schemas.js';

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
  app.get('/silences', { schema: { tags: ['silences'], summary: 'Silences, newest first', querystring: PageQuery({ limit: 100, maxLimit: 1000 }), response: { 200: PageOf(Silence) } } }, async (req) =>
    silencesOf(deps, req.principal.tenantId, req.query),
  );

  app.post('/silences', { schema: { summary: 'Create a silence (a time window and/or until the matching alerts resolve)', tags: ['silences'], body: SilenceInput, response: { 201: Silence } } }, async (req, reply) =>
    reply.status(201).send(await createSilence(deps, req.principal.tenantId, `key:${req.principal.keyId}`, req.body)),
  );

  app.delete('/silences/:silenceId', { schema: { summary: 'Expire a silence now', tags: ['silences'], params: SilenceParams, response: { 200: Silence } } }, async (req) =>
    endSilence(deps, req.principal.tenantId, req.params.silenceId),
  );
};
