// Silences API: create (time window and/or until resolved), list, read, edit or extend, expire,
// and preview which open alerts a set of matchers would silence.
import { Type } from '@sinclair/typebox';
import { PageOf, PageQuery, problemResponse } from '@vigil/service-kit';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { SilenceInput } from '../domain/silences.js';
import type { AlertingDeps } from '../operations/deps.js';
import { createSilence, editSilence, endSilence, previewSilence, silenceById, silencesOf } from '../operations/silences.js';
import { actorOf } from './actor.js';
import { Alert, SilenceParams } from './schemas.js';

const Silence = Type.Object({
  id: Type.String(),
  matchers: Type.Array(Type.String()),
  startsAt: Type.String(),
  endsAt: Type.Union([Type.String(), Type.Null()]),
  untilResolved: Type.Boolean(),
  createdBy: Type.String(),
  comment: Type.String(),
  expiredAt: Type.Union([Type.String(), Type.Null()]),
  expiredBy: Type.Union([Type.String(), Type.Null()], { description: 'user:<email>, key:<id>, or until-resolved' }),
  updatedAt: Type.String(),
});

export const silenceRoutes: FastifyPluginAsyncTypebox<{ deps: AlertingDeps }> = async (app, { deps }) => {
  app.get('/silences', { schema: { tags: ['silences'], summary: 'Silences, newest first', querystring: PageQuery({ limit: 100, maxLimit: 1000 }), response: { 200: PageOf(Silence) } } }, async (req) =>
    silencesOf(deps, req.principal.tenantId, req.query),
  );

  app.post('/silences', { schema: { summary: 'Create a silence (a time window and/or until the matching alerts resolve)', tags: ['silences'], body: SilenceInput, response: { 201: Silence } } }, async (req, reply) =>
    reply.status(201).send(await createSilence(deps, req.principal.tenantId, actorOf(req), req.body)),
  );

  app.post(
    '/silences/preview',
    {
      schema: {
        tags: ['silences'],
        summary: 'The open alerts these matchers would silence, before the silence is saved',
        body: Type.Object({ matchers: Type.Array(Type.String({ maxLength: 500 }), { minItems: 1, maxItems: 20 }) }, { additionalProperties: false }),
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }) }),
        response: { 200: Type.Object({ items: Type.Array(Alert), nextCursor: Type.Null(), total: Type.Integer() }) },
      },
      // Reads only: a reader may preview what a silence would match.
      config: { role: 'read' },
    },
    async (req) => previewSilence(deps, req.principal.tenantId, req.body.matchers, req.query.limit),
  );

  app.get(
    '/silences/:silenceId',
    { schema: { tags: ['silences'], summary: 'One silence', params: SilenceParams, response: { 200: Silence } } },
    async (req) => silenceById(deps, req.principal.tenantId, req.params.silenceId),
  );

  app.put(
    '/silences/:silenceId',
    {
      schema: {
        tags: ['silences'],
        summary: 'Edit or extend a live silence in place (the editor becomes its author); an expired one is 409',
        params: SilenceParams,
        body: SilenceInput,
        response: { 200: Silence, 409: problemResponse('The silence has expired: create a new one') },
      },
    },
    async (req) => editSilence(deps, req.principal.tenantId, req.params.silenceId, actorOf(req), req.body),
  );

  app.delete('/silences/:silenceId', { schema: { summary: 'Expire a silence now', tags: ['silences'], params: SilenceParams, response: { 200: Silence } } }, async (req) =>
    endSilence(deps, req.principal.tenantId, req.params.silenceId, actorOf(req)),
  );
};
