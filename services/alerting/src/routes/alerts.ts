// Alerts API: list and filter, one alert, its history, acknowledge, resolve.
import { Type } from '@sinclair/typebox';
import { PageOf, PageQuery, pageQuery } from '@vigil/service-kit';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { acknowledgeAlert, alertById, alertHistory, findAlerts, resolveAlert, tenantHistory } from '../operations/alerts.js';
import type { AlertingDeps } from '../operations/deps.js';
import { Alert, AlertParams, HistoryEntry, Note, State } from './schemas.js';

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

  app.post('/alerts/:alertId/acknowledge', { schema: { summary: 'Acknowledge a firing alert (stops escalation)', tags: ['alerts'], params: AlertParams, body: Type.Optional(Note), response: { 200: Alert } } }, async (req) =>
    acknowledgeAlert(deps, req.principal.tenantId, req.params.alertId, `key:${req.principal.keyId}`, req.body?.note),
  );

  app.post('/alerts/:alertId/resolve', { schema: { summary: 'Resolve an alert by hand', tags: ['alerts'], params: AlertParams, body: Type.Optional(Note), response: { 200: Alert } } }, async (req) =>
    resolveAlert(deps, req.principal.tenantId, req.params.alertId, `key:${req.principal.keyId}`, req.body?.note),
  );
};
