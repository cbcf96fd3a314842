// Inbound alerts: the Alertmanager-compatible v2 API and a generic event API.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AlertingDeps } from '../operations/deps.js';
import { receiveAlertmanagerAlerts, receiveEvent } from '../operations/ingest.js';
import { LabelSet } from './schemas.js';

const PostableAlert = Type.Object({
  labels: LabelSet,
  annotations: Type.Optional(LabelSet),
  startsAt: Type.Optional(Type.String({ format: 'date-time' })),
  endsAt: Type.Optional(Type.String({ format: 'date-time' })),
  generatorURL: Type.Optional(Type.String({ maxLength: 2000 })),
});

/** POST /api/v2/alerts, as Prometheus and every Alertmanager client send it. */
export const alertmanagerRoutes: FastifyPluginAsyncTypebox<{ deps: AlertingDeps }> = async (app, { deps }) => {
  app.post(
    '/api/v2/alerts',
    { schema: { tags: ['alertmanager'], summary: 'Alertmanager v2: post alerts', body: Type.Array(PostableAlert, { maxItems: 10_000 }), response: { 200: Type.Null() } } },
    async (req) => {
      await receiveAlertmanagerAlerts(deps, req.principal.tenantId, req.body);
      return null;
    },
  );
};

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
