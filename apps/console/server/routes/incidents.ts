// Incidents: open from alerts, list, read, change status/owner/title, add notes and alerts.
// Reading needs a session of the tenant; changing needs the write role.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { INCIDENT_STATUSES, type IncidentStatus } from '../domain/incidents.js';
import type { ConsoleDeps } from '../operations/deps.js';
import { addAlerts, addNote, changeIncident, incidentDetail, incidentList, openIncident, type IncidentPatch, type OpenIncidentInput } from '../operations/incidents.js';
import { sessionOf } from '../plugins/session-guard.js';
import { Problem } from './problem-schema.js';

const Severity = Type.Union([Type.Literal('info'), Type.Literal('warning'), Type.Literal('critical')]);
const Status = Type.Union(INCIDENT_STATUSES.map((s) => Type.Literal(s)));
const AlertRef = Type.Object(
  {
    alertId: Type.String({ minLength: 1, maxLength: 200 }),
    name: Type.String({ minLength: 1, maxLength: 300 }),
    severity: Type.String({ minLength: 1, maxLength: 40 }),
    startsAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);
const OpenBody = Type.Object(
  {
    title: Type.Optional(Type.String({ maxLength: 300 })),
    severity: Type.Optional(Severity),
    ownerId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
    alerts: Type.Array(AlertRef, { maxItems: 500, description: 'The alerts the incident is opened from (none for one opened by hand)' }),
    note: Type.Optional(Type.String({ maxLength: 10_000 })),
  },
  { additionalProperties: false },
);
const PatchBody = Type.Object(
  {
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    severity: Type.Optional(Severity),
    status: Type.Optional(Status),
    ownerId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
);
const Params = Type.Object({ incidentId: Type.String({ format: 'uuid' }) });
const ListQuery = Type.Object({
  status: Type.Optional(Status),
  alertId: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Only incidents holding this alert' })),
  resolvedFrom: Type.Optional(Type.String({ format: 'date-time', description: 'Resolved at or after (reports read durations this way)' })),
  resolvedTo: Type.Optional(Type.String({ format: 'date-time', description: 'Resolved before' })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});
const errors = { 400: Problem, 401: Problem, 403: Problem };

export const incidentRoutes: FastifyPluginAsync<{ deps: ConsoleDeps }> = async (app: FastifyInstance, { deps }) => {
  const read = { public: true, access: 'read' } as const;
  const write = { public: true, access: 'write' } as const;
  const tags = ['incidents'];
  const id = (req: { params: unknown }) => (req.params as { incidentId: string }).incidentId;

  app.get('/api/incidents', { config: read, schema: { tags, summary: 'Incidents, newest opened first ({items, nextCursor}); resolved ones carry their durations', querystring: ListQuery, response: errors } }, async (req) => {
    const q = req.query as { status?: IncidentStatus; alertId?: string; resolvedFrom?: string; resolvedTo?: string; cursor?: string; limit?: number };
    return incidentList(deps.pool, sessionOf(req).tenantId, {
      status: q.status,
      alertId: q.alertId,
      resolvedFrom: q.resolvedFrom ? new Date(q.resolvedFrom) : undefined,
      resolvedTo: q.resolvedTo ? new Date(q.resolvedTo) : undefined,
      cursor: q.cursor,
      limit: q.limit ?? 50,
    });
  });
  app.post('/api/incidents', { config: write, schema: { tags, summary: 'Open an incident from one or more alerts', body: OpenBody, response: { 201: Type.Unknown({ description: 'The incident with its alerts and activity' }), ...errors } } }, async (req, reply) =>
    reply.status(201).send(await openIncident(deps.pool, sessionOf(req), req.body as OpenIncidentInput)),
  );
  app.get('/api/incidents/:incidentId', { config: read, schema: { tags, summary: 'An incident with its alerts and activity', params: Params, response: { ...errors, 404: Problem } } }, async (req) =>
    incidentDetail(deps.pool, sessionOf(req).tenantId, id(req)),
  );
  app.patch(
    '/api/incidents/:incidentId',
    { config: write, schema: { tags, summary: 'Change status (resolving records the durations), owner, title or severity', params: Params, body: PatchBody, response: { ...errors, 404: Problem, 409: Problem } } },
    async (req) => changeIncident(deps.pool, sessionOf(req), id(req), req.body as IncidentPatch),
  );
  app.post(
    '/api/incidents/:incidentId/notes',
    { config: write, schema: { tags, summary: 'Add a note to the activity', params: Params, body: Type.Object({ text: Type.String({ minLength: 1, maxLength: 10_000 }) }, { additionalProperties: false }), response: { 201: Type.Unknown({ description: 'The incident with its activity' }), ...errors, 404: Problem } } },
    async (req, reply) => reply.status(201).send(await addNote(deps.pool, sessionOf(req), id(req), (req.body as { text: string }).text)),
  );
  app.post(
    '/api/incidents/:incidentId/alerts',
    { config: write, schema: { tags, summary: 'Attach more alerts', params: Params, body: Type.Object({ alerts: Type.Array(AlertRef, { minItems: 1, maxItems: 500 }) }, { additionalProperties: false }), response: { ...errors, 404: Problem } } },
    async (req) => addAlerts(deps.pool, sessionOf(req), id(req), (req.body as { alerts: OpenIncidentInput['alerts'] }).alerts),
  );
};
