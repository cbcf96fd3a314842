// The signed-in user's preferences: theme, timezone, refresh interval.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { findPreferences, savePreferences, type Preferences } from '../db/preferences.js';
import type { ConsoleDeps } from '../operations/deps.js';
import { sessionOf } from '../plugins/session-guard.js';

const PreferencesBody = Type.Object(
  {
    theme: Type.Union([Type.Literal('light'), Type.Literal('dark'), Type.Literal('auto')]),
    timezone: Type.Union([Type.Literal('local'), Type.Literal('utc')]),
    refreshSeconds: Type.Integer({ minimum: 0, maximum: 3600 }),
  },
  { additionalProperties: false },
);

export const preferenceRoutes: FastifyPluginAsync<{ deps: ConsoleDeps }> = async (app: FastifyInstance, { deps }) => {
  const config = { public: true, access: 'read' } as const;
  const tags = ['preferences'];
  app.get('/api/preferences', { config, schema: { tags } }, async (req) => findPreferences(deps.pool, sessionOf(req).userId));
  app.put('/api/preferences', { config, schema: { tags, body: PreferencesBody } }, async (req) => {
    const prefs = req.body as Preferences;
    await savePreferences(deps.pool, sessionOf(req).userId, prefs);
    return prefs;
  });
};
