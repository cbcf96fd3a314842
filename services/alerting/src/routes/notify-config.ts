// Receivers, the routing document (route tree + inhibition), escalation policies, the delivery
// queue, and test notifications.
import { randomUUID } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { deleteReceiver, getReceiver, getRouting, listPolicies, listReceivers, putPolicy, putReceiver, putRouting } from '../db/config.js';
import { enqueueNotification, listNotifications } from '../db/notifications.js';
import { fingerprint, InvalidInput } from '../domain/labels.js';
import { renderRequest } from '../domain/notify-formats.js';
import { ReceiverInput, redactReceiver } from '../domain/receivers.js';
import { compileRoute, DEFAULT_ROUTING, InhibitRuleSchema, RouteSchema, validateInhibitRules, type RoutingConfig } from '../domain/routing.js';
import { receiverNotFound, routingInvalid } from '../errors.js';
import type { AlertingDeps } from '../operations/deps.js';
import { NameParams } from './schemas.js';

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
  const { pool } = deps;
  app.get('/receivers', { schema: { tags: ['receivers'], response: { 200: Type.Array(Type.Object({ name: Type.String(), config: Type.Unknown() })) } } }, async (req) =>
    (await listReceivers(pool, req.principal.tenantId)).map((r) => ({ name: r.name, config: redactReceiver(r.config) })),
  );

  app.put('/receivers/:name', { schema: { tags: ['receivers'], params: NameParams, body: ReceiverInput } }, async (req, reply) => {
    await putReceiver(pool, req.principal.tenantId, req.params.name, req.body);
    return reply.status(204).send();
  });

  app.delete('/receivers/:name', { schema: { tags: ['receivers'], params: NameParams } }, async (req, reply) => {
    if (!(await deleteReceiver(pool, req.principal.tenantId, req.params.name))) throw receiverNotFound(req.params.name);
    return reply.status(204).send();
  });

  app.post('/receivers/:name/test', { schema: { tags: ['receivers'], params: NameParams, response: { 202: Type.Object({ idempotencyKey: Type.String() }) } } }, async (req, reply) => {
    const { tenantId } = req.principal;
    const receiver = await getReceiver(pool, tenantId, req.params.name);
    if (!receiver) throw receiverNotFound(req.params.name);
    const labels = { alertname: 'VigilTestNotification', severity: 'info', receiver: req.params.name };
    const now = new Date().toISOString();
    const key = randomUUID();
    const notice = {
      tenantId, receiver: req.params.name, groupKey: `test:${key}`, groupLabels: { alertname: labels.alertname }, externalUrl: deps.externalUrl,
      alerts: [{ fingerprint: fingerprint(labels), status: 'firing' as const, acknowledged: false, severity: 'info', labels, annotations: { summary: 'Test notification from Vigil' }, startsAt: now, endsAt: null, generatorUrl: null }],
    };
    await enqueueNotification(pool, { tenantId, receiver: req.params.name, kind: receiver.kind, idempotencyKey: key, ...renderRequest(notice, receiver, key) });
    deps.wakeDelivery();
    return reply.status(202).send({ idempotencyKey: key });
  });

  app.get('/routing', { schema: { tags: ['routing'], response: { 200: Routing } } }, async (req) => (await getRouting(pool, req.principal.tenantId)) ?? DEFAULT_ROUTING);

  app.put('/routing', { schema: { tags: ['routing'], body: Routing } }, async (req, reply) => {
    const { tenantId } = req.principal;
    const body = req.body as RoutingConfig;
    const [receivers, policies] = await Promise.all([listReceivers(pool, tenantId), listPolicies(pool, tenantId)]);
    try {
      compileRoute(body.route, new Set(receivers.map((r) => r.name)), new Set(policies.map((p) => p.name)));
      validateInhibitRules(body.inhibit_rules);
    } catch (err) {
      throw err instanceof InvalidInput ? routingInvalid(err.message) : err;
    }
    await putRouting(pool, tenantId, body);
    deps.lifecycle.routing.invalidate(tenantId);
    return reply.status(204).send();
  });

  app.get('/escalation-policies', { schema: { tags: ['routing'] } }, async (req) => listPolicies(pool, req.principal.tenantId));

  app.put('/escalation-policies/:name', { schema: { tags: ['routing'], params: NameParams, body: Policy } }, async (req, reply) => {
    const { tenantId } = req.principal;
    const known = new Set((await listReceivers(pool, tenantId)).map((r) => r.name));
    const missing = req.body.steps.find((s) => !known.has(s.receiver));
    if (missing) throw routingInvalid(`steps: no receiver named ${JSON.stringify(missing.receiver)}`);
    await putPolicy(pool, tenantId, { name: req.params.name, steps: req.body.steps, repeat: req.body.repeat });
    deps.lifecycle.routing.invalidate(tenantId);
    return reply.status(204).send();
  });

  app.get(
    '/notifications',
    {
      schema: {
        tags: ['receivers'],
        querystring: Type.Object({ state: Type.Optional(Type.Union(['queued', 'sending', 'delivered', 'dead'].map((s) => Type.Literal(s)))), limit: Type.Integer({ minimum: 1, maximum: 1000, default: 200 }) }),
        response: { 200: Type.Array(Notification) },
      },
    },
    async (req) => listNotifications(pool, req.principal.tenantId, req.query.state, req.query.limit),
  );
};
