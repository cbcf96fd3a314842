// Receivers, the routing document (route tree + inhibition), escalation policies, the delivery
// queue, and test notifications.
import { Type } from '@sinclair/typebox';
import { PageOf, PageQuery, pageQuery } from '@vigil/service-kit';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ReceiverInput } from '../domain/receivers.js';
import { InhibitRuleSchema, RouteSchema, type RoutingConfig } from '../domain/routing.js';
import type { AlertingDeps } from '../operations/deps.js';
import { notificationQueue } from '../operations/notifications.js';
import { receiversOf, removeReceiver, saveReceiver, sendTestNotification } from '../operations/receivers.js';
import { policiesOf, routingOf, savePolicy, saveRouting } from '../operations/routing-config.js';
import { PolicyParams, ReceiverParams } from './schemas.js';

const Routing = Type.Object({ route: RouteSchema, inhibit_rules: Type.Array(InhibitRuleSchema, { maxItems: 100, default: [] }) }, { additionalProperties: false });
const Policy = Type.Object(
  {
    steps: Type.Array(Type.Object({ afterMinutes: Type.Number({ minimum: 0, maximum: 10_080 }), receiver: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }), { minItems: 1, maxItems: 20 }),
    repeat: Type.Integer({ minimum: 0, maximum: 100, default: 0, description: 'Extra rounds through the steps' }),
  },
  { additionalProperties: false },
);
const Notification = Type.Object({
  id: Type.String(), receiver: Type.String(), kind: Type.String(), idempotencyKey: Type.String(), state: Type.String(), attempts: Type.Integer(),
  lastStatus: Type.Union([Type.Integer(), Type.Null()]), lastError: Type.Union([Type.String(), Type.Null()]), createdAt: Type.String(), deliveredAt: Type.Union([Type.String(), Type.Null()]),
});

export const notifyConfigRoutes: FastifyPluginAsyncTypebox<{ deps: AlertingDeps }> = async (app, { deps }) => {
  app.get(
    '/receivers',
    { schema: { summary: 'Receivers, by name (secrets are never returned)', tags: ['receivers'], querystring: PageQuery({ limit: 100, maxLimit: 1000 }), response: { 200: PageOf(Type.Object({ name: Type.String(), config: Type.Unknown() })) } } },
    async (req) => receiversOf(deps, req.principal.tenantId, req.query),
  );

  app.put('/receivers/:receiverName', { schema: { summary: 'Create or replace a receiver', tags: ['receivers'], params: ReceiverParams, body: ReceiverInput } }, async (req, reply) => {
    await saveReceiver(deps, req.principal.tenantId, req.params.receiverName, req.body);
    return reply.status(204).send();
  });

  app.delete('/receivers/:receiverName', { schema: { summary: 'Delete a receiver', tags: ['receivers'], params: ReceiverParams } }, async (req, reply) => {
    await removeReceiver(deps, req.principal.tenantId, req.params.receiverName);
    return reply.status(204).send();
  });

  app.post('/receivers/:receiverName/test', { schema: { summary: 'Send a test notification through the delivery queue', tags: ['receivers'], params: ReceiverParams, response: { 202: Type.Object({ idempotencyKey: Type.String() }) } } }, async (req, reply) =>
    reply.status(202).send({ idempotencyKey: await sendTestNotification(deps, req.principal.tenantId, req.params.receiverName) }),
  );

  app.get('/routing', { schema: { summary: 'The routing document: route tree and inhibition rules (Alertmanager configuration keys)', tags: ['routing'], response: { 200: Routing } } }, async (req) => routingOf(deps, req.principal.tenantId));

  app.put('/routing', { schema: { summary: 'Replace the routing document (checked against the receivers and policies that exist)', tags: ['routing'], body: Routing } }, async (req, reply) => {
    await saveRouting(deps, req.principal.tenantId, req.body as RoutingConfig);
    return reply.status(204).send();
  });

  app.get(
    '/escalation-policies',
    {
      schema: {
        summary: 'Escalation policies, by name', tags: ['routing'],
        querystring: PageQuery({ limit: 100, maxLimit: 1000 }),
        response: { 200: PageOf(Type.Object({ name: Type.String(), steps: Type.Array(Type.Object({ afterMinutes: Type.Number(), receiver: Type.String() })), repeat: Type.Integer() })) },
      },
    },
    async (req) => policiesOf(deps, req.principal.tenantId, req.query),
  );

  app.put('/escalation-policies/:policyName', { schema: { summary: 'Create or replace an escalation policy', tags: ['routing'], params: PolicyParams, body: Policy } }, async (req, reply) => {
    await savePolicy(deps, req.principal.tenantId, { name: req.params.policyName, steps: req.body.steps, repeat: req.body.repeat });
    return reply.status(204).send();
  });

  app.get(
    '/notifications',
    {
      schema: {
        summary: 'The delivery queue, newest first (bodies and URLs stay inside)', tags: ['receivers'],
        querystring: Type.Object({ state: Type.Optional(Type.Union([Type.Literal('queued'), Type.Literal('sending'), Type.Literal('delivered'), Type.Literal('dead')])), ...pageQuery({ limit: 200, maxLimit: 1000 }) }),
        response: { 200: PageOf(Notification) },
      },
    },
    async (req) => notificationQueue(deps, req.principal.tenantId, req.query.state, req.query),
  );
};
