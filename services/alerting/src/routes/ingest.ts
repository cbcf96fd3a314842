// Inbound events: the generic event API (Alertmanager's POST /api/v2/alerts is in alertmanager.ts).
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AlertingDeps } from '../operations/deps.js';
import { receiveEvent } from '../operations/ingest.js';
import { LabelSet } from './schemas.js';

export const eventRoutes: FastifyPluginAsyncTypebox<{ deps: AlertingDeps }> = async (app, { deps }) => {
  app.post(
    '/events',
    {
      schema: {
        tags: ['events'],
        summary: 'Generic event: evaluated against the event rules for its type',
        body: Type.Object(
          {
            type: Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_.-]{0,99}$' }),
            labels: LabelSet,
            attributes: Type.Optional(LabelSet),
            annotations: Type.Optional(LabelSet),
            occurredAt: Type.Optional(Type.String({ format: 'date-time' })),
          },
          { additionalProperties: false },
        ),
        response: { 202: Type.Object({ matchedRules: Type.Integer() }) },
      },
    },
    async (req, reply) => reply.status(202).send({ matchedRules: await receiveEvent(deps, req.principal.tenantId, req.body) }),
  );
};
