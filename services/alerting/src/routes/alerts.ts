// Alerts API: list and filter, one alert, its history, acknowledge, resolve.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { getAlert, listAlerts, listHistory } from '../db/alerts.js';
import { alertNotFound, matcherInvalid, transitionInvalid } from '../errors.js';
import type { AlertingDeps } from '../operations/deps.js';
import { acknowledge, resolve } from '../operations/lifecycle.js';
import { inTransaction } from '../operations/transaction.js';
import { Alert, HistoryEntry, IdParams, Note, State } from './schemas.js';

/** `label=value` pairs (repeatable `label` query parameter) as an equality filter. */
function labelFilter(pairs: string[] | undefined): Record<string, string> | undefined {
  if (!pairs?.length) return undefined;
  return Object.fromEntries(
    pairs.map((p) => {
      const m = /^([a-zA-Z_][a-zA-Z0-9_]*)=(.*)$/.exec(p);
      if (!m) throw matcherInvalid(`label filter ${JSON.stringify(p)} is not name=value`);
      return [m[1]!, m[2]!];
    }),
  );
}

export const alertRoutes: FastifyPluginAsyncTypebox<{ deps: AlertingDeps }> = async (app, { deps }) => {
  const { pool, lifecycle } = deps;
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
    async (req) => listAlerts(pool, req.principal.tenantId, { state: req.query.state, labels: labelFilter(req.query.label), limit: req.query.limit }),
  );

  app.get('/alerts/:id', { schema: { tags: ['alerts'], params: IdParams, response: { 200: Alert } } }, async (req) => {
    return (await getAlert(pool, req.principal.tenantId, req.params.id)) ?? Promise.reject(alertNotFound(req.params.id));
  });

  app.get('/alerts/:id/history', { schema: { tags: ['alerts'], params: IdParams, response: { 200: Type.Array(HistoryEntry) } } }, async (req) => {
    if (!(await getAlert(pool, req.principal.tenantId, req.params.id))) throw alertNotFound(req.params.id);
    return listHistory(pool, req.principal.tenantId, req.params.id, 1000);
  });

  app.get(
    '/history',
    { schema: { tags: ['alerts'], querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 1000, default: 200 }) }), response: { 200: Type.Array(HistoryEntry) } } },
    async (req) => listHistory(pool, req.principal.tenantId, undefined, req.query.limit),
  );

  app.post('/alerts/:id/acknowledge', { schema: { tags: ['alerts'], params: IdParams, body: Type.Optional(Note), response: { 200: Alert } } }, async (req) => {
    const actor = `key:${req.principal.keyId}`;
    const alert = await inTransaction(pool, (tx) => acknowledge(tx, lifecycle, req.principal.tenantId, req.params.id, actor, req.body?.note));
    return alert ?? Promise.reject(alertNotFound(req.params.id));
  });

  app.post('/alerts/:id/resolve', { schema: { tags: ['alerts'], params: IdParams, body: Type.Optional(Note), response: { 200: Alert } } }, async (req) => {
    const { tenantId, keyId } = req.principal;
    return inTransaction(pool, async (tx) => {
      const current = await getAlert(tx, tenantId, req.params.id);
      if (!current) throw alertNotFound(req.params.id);
      if (current.state === 'resolved') throw transitionInvalid(`alert ${req.params.id} is already resolved`);
      return (await resolve(tx, lifecycle, tenantId, current.fingerprint, `key:${keyId}`, new Date(), req.body?.note))!;
    });
  });
};
