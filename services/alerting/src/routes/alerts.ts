// Alerts API: list and filter, one alert, its history, acknowledge, resolve.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { acknowledgeAlert, alertById, alertHistory, findAlerts, resolveAlert, tenantHistory } from '../operations/alerts.js';
import type { AlertingDeps } from '../operations/deps.js';
import { Alert, HistoryEntry, IdParams, Note, State } from './schemas.js';

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

  app.post('/alerts/:id/acknowledge', { schema: { tags: ['alerts'], params: IdParams, body: Type.Optional(Note), response: { 200: Alert } } }, async (req) =>
    acknowledgeAlert(deps, req.principal.tenantId, req.params.id, `key:${req.principal.keyId}`, req.body?.note),
  );

  app.post('/alerts/:id/resolve', { schema: { tags: ['alerts'], params: IdParams, body: Type.Optional(Note), response: { 200: Alert } } }, async (req) =>
    resolveAlert(deps, req.principal.tenantId, req.params.id, `key:${req.principal.keyId}`, req.body?.note),
  );
};
