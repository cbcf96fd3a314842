// Alerts API: list and filter, one alert, its history, acknowledge, resolve.
import { Type } from '@sinclair/typebox';
import { PageOf, PageQuery, pageQuery } from '@vigil/service-kit';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { alertDeliveries, alertEscalation, alertStrips } from '../operations/alert-detail.js';
import { acknowledgeAlert, alertById, alertHistory, findAlerts, resolveAlert, tenantHistory } from '../operations/alerts.js';
import type { AlertingDeps } from '../operations/deps.js';
import { actorOf } from './actor.js';
import { Alert, AlertParams, HistoryEntry, Note, State } from './schemas.js';

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

export const alertRoutes: FastifyPluginAsyncTypebox<{ deps: AlertingDeps }> = async (app, { deps }) => {
  app.get(
    '/alerts',
    {
      schema: {
        summary: 'Alerts, newest first; filter by state and labels', tags: ['alerts'],
        querystring: Type.Object({
          state: Type.Optional(State),
          label: Type.Optional(Type.Array(Type.String({ maxLength: 500 }), { maxItems: 20, description: 'name=value, repeatable' })),
          ...pageQuery({ limit: 500, maxLimit: 1000 }),
        }),
        response: { 200: PageOf(Alert) },
      },
    },
    async (req) => findAlerts(deps, req.principal.tenantId, req.query),
  );

  app.get('/alerts/:alertId', { schema: { summary: 'One alert', tags: ['alerts'], params: AlertParams, response: { 200: Alert } } }, async (req) => alertById(deps, req.principal.tenantId, req.params.alertId));

  app.get(
    '/alerts/:alertId/history',
    { schema: { tags: ['alerts'], summary: "The alert's transitions, oldest first", params: AlertParams, querystring: PageQuery({ limit: 200, maxLimit: 1000 }), response: { 200: PageOf(HistoryEntry) } } },
    async (req) => alertHistory(deps, req.principal.tenantId, req.params.alertId, req.query),
  );

  app.get(
    '/history',
    { schema: { tags: ['alerts'], summary: "The tenant's alert transitions, newest first", querystring: PageQuery({ limit: 200, maxLimit: 1000 }), response: { 200: PageOf(HistoryEntry) } } },
    async (req) => tenantHistory(deps, req.principal.tenantId, req.query),
  );

  // The actor is the person the console names (X-Vigil-Actor from its front door), else the key.
  app.post('/alerts/:alertId/acknowledge', { schema: { summary: 'Acknowledge a firing alert (stops escalation)', tags: ['alerts'], params: AlertParams, body: Type.Optional(Note), response: { 200: Alert } } }, async (req) =>
    acknowledgeAlert(deps, req.principal.tenantId, req.params.alertId, actorOf(req), req.body?.note),
  );

  app.post('/alerts/:alertId/resolve', { schema: { summary: 'Resolve an alert by hand', tags: ['alerts'], params: AlertParams, body: Type.Optional(Note), response: { 200: Alert } } }, async (req) =>
    resolveAlert(deps, req.principal.tenantId, req.params.alertId, actorOf(req), req.body?.note),
  );

  app.get(
    '/alerts/:alertId/deliveries',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Every notification that carried this alert: receiver, state, attempts, last error (newest first)',
        params: AlertParams,
        querystring: PageQuery({ limit: 50, maxLimit: 200 }),
        response: { 200: PageOf(Delivery) },
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
        params: AlertParams,
        response: { 200: PageOf(Escalation) },
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
        response: { 200: Type.Object({ items: Type.Array(Strip), nextCursor: Type.Null(), from: Type.String(), to: Type.String() }) },
      },
    },
    async (req) => alertStrips(deps, req.principal.tenantId, req.query),
  );
};
