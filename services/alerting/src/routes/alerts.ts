// Alerts API: list and filter, one alert, its history, acknowledge, resolve.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { alertDeliveries, alertEscalation, alertStrips } from '../operations/alert-detail.js';
import { acknowledgeAlert, alertById, alertHistory, findAlerts, resolveAlert, tenantHistory } from '../operations/alerts.js';
import type { AlertingDeps } from '../operations/deps.js';
import { actorOf } from './actor.js';
import { Alert, AlertIdParams, HistoryEntry, IdParams, Note, Problem, State } from './schemas.js';

const Delivery = Type.Object({
  id: Type.String(),
  receiver: Type.String(),
  kind: Type.String(),
  state: Type.Union([Type.Literal('queued'), Type.Literal('sending'), Type.Literal('delivered'), Type.Literal('dead')]),
  attempts: Type.Integer(),
  lastStatus: Type.Union([Type.Integer(), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  deliveredAt: Type.Union([Type.String(), Type.Null()]),
});
const Escalation = Type.Object({
  policy: Type.String(),
  step: Type.Integer({ description: '0-based index of the step due next' }),
  round: Type.Integer(),
  nextAt: Type.String(),
  steps: Type.Array(Type.Object({ afterMinutes: Type.Number(), receiver: Type.String() })),
  repeat: Type.Integer(),
});
const Strip = Type.Object({
  fingerprint: Type.String(),
  alertname: Type.Union([Type.String(), Type.Null()]),
  intervals: Type.Array(Type.Object({ from: Type.String(), to: Type.Union([Type.String(), Type.Null()]) })),
});
const page = <T extends ReturnType<typeof Type.Object>>(item: T) => Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });

export const alertRoutes: FastifyPluginAsyncTypebox<{ deps: AlertingDeps }> = async (app, { deps }) => {
  app.get(
    '/alerts',
    {
      schema: {
        tags: ['alerts'],
        querystring: Type.Object({
          state: Type.Optional(State),
          label: Type.Optional(Type.Array(Type.String({ maxLength: 500 }), { maxItems: 20, description: 'name=value, repeatable' })),
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 500 }),
        }),
        response: { 200: Type.Array(Alert) },
      },
    },
    async (req) => findAlerts(deps, req.principal.tenantId, req.query),
  );

  app.get('/alerts/:id', { schema: { tags: ['alerts'], params: IdParams, response: { 200: Alert } } }, async (req) => alertById(deps, req.principal.tenantId, req.params.id));

  app.get('/alerts/:id/history', { schema: { tags: ['alerts'], params: IdParams, response: { 200: Type.Array(HistoryEntry) } } }, async (req) =>
    alertHistory(deps, req.principal.tenantId, req.params.id),
  );

  app.get(
    '/history',
    { schema: { tags: ['alerts'], querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 1000, default: 200 }) }), response: { 200: Type.Array(HistoryEntry) } } },
    async (req) => tenantHistory(deps, req.principal.tenantId, req.query.limit),
  );

  // The actor is the person the console names (X-Vigil-Actor from its front door), else the key.
  app.post('/alerts/:id/acknowledge', { schema: { tags: ['alerts'], params: IdParams, body: Type.Optional(Note), response: { 200: Alert } } }, async (req) =>
    acknowledgeAlert(deps, req.principal.tenantId, req.params.id, actorOf(req), req.body?.note),
  );

  app.post('/alerts/:id/resolve', { schema: { tags: ['alerts'], params: IdParams, body: Type.Optional(Note), response: { 200: Alert } } }, async (req) =>
    resolveAlert(deps, req.principal.tenantId, req.params.id, actorOf(req), req.body?.note),
  );

  app.get(
    '/alerts/:alertId/deliveries',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Every notification that carried this alert: receiver, state, attempts, last error (newest first)',
        params: AlertIdParams,
        querystring: Type.Object({ cursor: Type.Optional(Type.String({ maxLength: 500 })), limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }) }),
        response: { 200: page(Delivery), 400: Problem, 404: Problem },
      },
    },
    async (req) => alertDeliveries(deps, req.principal.tenantId, req.params.alertId, req.query),
  );

  app.get(
    '/alerts/:alertId/escalation',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Where the alert stands in each escalation policy it follows (none once acknowledged or resolved)',
        params: AlertIdParams,
        response: { 200: page(Escalation), 404: Problem },
      },
    },
    async (req) => alertEscalation(deps, req.principal.tenantId, req.params.alertId),
  );

  app.get(
    '/alert-strips',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Per fingerprint, when its alerts were open in the last hours (the console grid’s 24-hour strips)',
        querystring: Type.Object({
          fingerprint: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 1000 })),
          hours: Type.Integer({ minimum: 1, maximum: 168, default: 24 }),
        }),
        response: { 200: Type.Object({ items: Type.Array(Strip), nextCursor: Type.Null(), from: Type.String(), to: Type.String() }), 400: Problem },
      },
    },
    async (req) => alertStrips(deps, req.principal.tenantId, req.query),
  );
};
