// The event history (the incident timeline's data): a window aggregated per lane, its events page
// by page, and what changed in the minutes before an alert. Signed in, scoped to the session's tenant.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { badRequest } from '@vigil/service-kit';
import { alertFiredAt } from '../db/history.js';
import { LANES, type Lane } from '../domain/history.js';
import type { ConsoleDeps } from '../operations/deps.js';
import { changesBefore, historyEvents, timeline } from '../operations/history.js';
import { sessionOf } from '../plugins/session-guard.js';
import { Problem } from './problem-schema.js';

const Window = {
  from: Type.String({ format: 'date-time', description: 'Start of the window (inclusive)' }),
  to: Type.String({ format: 'date-time', description: 'End of the window (exclusive); at most 31 days after from' }),
  lanes: Type.Optional(Type.String({ pattern: `^(${LANES.join('|')})(,(${LANES.join('|')}))*$`, description: `Comma-separated lanes (${LANES.join(', ')}); all when absent` })),
};
const TimelineQuery = Type.Object({ ...Window, buckets: Type.Optional(Type.Integer({ minimum: 10, maximum: 1000, description: 'Time buckets the window is cut into (default 288)' })) });
const EventsQuery = Type.Object({
  ...Window,
  kinds: Type.Optional(Type.String({ pattern: '^[a-z.-]+(,[a-z.-]+)*$', description: 'Comma-separated kinds, e.g. alert.firing,error.spike' })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
});
const ChangesQuery = Type.Object({
  at: Type.Optional(Type.String({ format: 'date-time', description: "The alert's start; defaults to when the history saw alertId fire" })),
  alertId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  minutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 120, default: 15 })),
});

const lanesOf = (v?: string) => (v ? (v.split(',') as Lane[]) : undefined);
const errors = { 400: Problem, 401: Problem };

export const historyRoutes: FastifyPluginAsync<{ deps: ConsoleDeps }> = async (app: FastifyInstance, { deps }) => {
  const config = { public: true, access: 'read' } as const;
  const tags = ['history'];
  app.get(
    '/api/history/timeline',
    { config, schema: { tags, summary: 'The timeline of a window: per lane, event counts per time bucket by severity, line series, and the events one by one when few', querystring: TimelineQuery, response: errors } },
    async (req) => {
      const q = req.query as { from: string; to: string; lanes?: string; buckets?: number };
      return timeline(deps.pool, { tenantId: sessionOf(req).tenantId, from: new Date(q.from), to: new Date(q.to), lanes: lanesOf(q.lanes), buckets: q.buckets });
    },
  );
  app.get(
    '/api/history/events',
    { config, schema: { tags, summary: 'The events of a window, newest first ({items, nextCursor})', querystring: EventsQuery, response: errors } },
    async (req) => {
      const q = req.query as { from: string; to: string; lanes?: string; kinds?: string; cursor?: string; limit?: number };
      return historyEvents(deps.pool, { tenantId: sessionOf(req).tenantId, from: new Date(q.from), to: new Date(q.to), lanes: lanesOf(q.lanes), kinds: q.kinds?.split(','), cursor: q.cursor, limit: q.limit ?? 100 });
    },
  );
  app.get(
    '/api/history/what-changed',
    {
      config,
      schema: { tags, summary: 'What changed in the minutes before an alert: issues first seen or regressed, spikes, health drops with the check that moved, slow queries, failed backups', querystring: ChangesQuery, response: { ...errors, 404: Problem } },
    },
    async (req) => {
      const q = req.query as { at?: string; alertId?: string; minutes?: number };
      const tenantId = sessionOf(req).tenantId;
      const at = q.at ? new Date(q.at) : q.alertId ? await alertFiredAt(deps.pool, tenantId, q.alertId) : undefined;
      if (!at) throw q.alertId ? badRequest('CONSOLE_ALERT_UNKNOWN', `at: the history has not seen alert ${q.alertId} fire; give its start as at`) : badRequest('CONSOLE_WINDOW_INVALID', 'at or alertId is required');
      return changesBefore(deps.pool, tenantId, at, q.minutes ?? 15);
    },
  );
};
