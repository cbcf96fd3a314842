// Saved views: each user's named searches per area and tenant (the issue stream's filters, for one).
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { deleteSavedView, listSavedViews, upsertSavedView } from '../db/saved-views.js';
import { savedViewNotFound } from '../errors.js';
import type { ConsoleDeps } from '../operations/deps.js';
import { sessionOf } from '../plugins/session-guard.js';

const Area = Type.String({ pattern: '^[a-z][a-z-]{0,39}$', description: 'the console area, e.g. errors' });
const SavedViewBody = Type.Object(
  { area: Area, name: Type.String({ minLength: 1, maxLength: 80 }), search: Type.String({ maxLength: 2000, description: 'the view’s URL query string, without ?' }) },
  { additionalProperties: false },
);

export const savedViewRoutes: FastifyPluginAsync<{ deps: ConsoleDeps }> = async (app: FastifyInstance, { deps }) => {
  const config = { public: true, access: 'read' } as const;
  const tags = ['saved-views'];
  app.get('/api/saved-views', { config, schema: { tags, summary: 'Your saved views of an area', querystring: Type.Object({ area: Area }, { additionalProperties: false }) } }, async (req) => {
    const s = sessionOf(req);
    return { items: await listSavedViews(deps.pool, s.userId, s.tenantId, (req.query as { area: string }).area), nextCursor: null };
  });
  app.put('/api/saved-views', { config, schema: { tags, summary: 'Save a view under its name (replaces one of the same name)', body: SavedViewBody } }, async (req) => {
    const s = sessionOf(req);
    return upsertSavedView(deps.pool, s.userId, s.tenantId, req.body as Static<typeof SavedViewBody>);
  });
  app.delete(
    '/api/saved-views/:viewId',
    { config, schema: { tags, summary: 'Delete one of your saved views', params: Type.Object({ viewId: Type.String({ format: 'uuid' }) }) } },
    async (req, reply) => {
      const s = sessionOf(req);
      const { viewId } = req.params as { viewId: string };
      if (!(await deleteSavedView(deps.pool, s.userId, s.tenantId, viewId))) throw savedViewNotFound(viewId);
      return reply.code(204).send();
    },
  );
};
