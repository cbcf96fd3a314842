// Inbound alerts: the Alertmanager-compatible v2 API and a generic event API.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { toActions } from '../domain/am-alerts.js';
import { InvalidInput } from '../domain/labels.js';
import { alertsInvalid } from '../errors.js';
import type { AlertingDeps } from '../operations/deps.js';
import { evaluateSignal } from '../operations/evaluate.js';
import { fireMany, resolve } from '../operations/lifecycle.js';
import { inTransaction } from '../operations/transaction.js';
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
      let actions;
      try {
        actions = toActions(req.body, new Date(), deps.resolveTimeoutMs);
      } catch (err) {
        throw err instanceof InvalidInput ? alertsInvalid(err.message) : err;
      }
      const tenantId = req.principal.tenantId;
      await inTransaction(deps.pool, async (tx) => {
        const firing = actions.flatMap((a) => (a.action === 'fire' ? [{ draft: a.alert, source: 'alertmanager-api', startsAt: a.startsAt }] : []));
        await fireMany(tx, deps.lifecycle, tenantId, firing);
        for (const a of actions) if (a.action === 'resolve') await resolve(tx, deps.lifecycle, tenantId, a.fingerprint, 'alertmanager-api', a.at);
      });
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
    async (req, reply) => {
      const b = req.body;
      const signal = { type: b.type, labels: b.labels, attrs: b.attributes ?? {}, annotations: b.annotations ?? {}, at: b.occurredAt ? new Date(b.occurredAt) : new Date() };
      const matchedRules = await inTransaction(deps.pool, (tx) => evaluateSignal(tx, deps.lifecycle, req.principal.tenantId, signal, 'events-api'));
      return reply.status(202).send({ matchedRules });
    },
  );
};
