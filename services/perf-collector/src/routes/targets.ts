// Monitored databases: register, list, change, remove, and collect now.
import { Type } from '@sinclair/typebox';
import { PageOf, PageQuery } from '@vigil/service-kit';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { collectNow, type CollectDeps } from '../operations/collect.js';
import { changeTarget, getTargetView, listTargetViews, registerTarget, removeTarget, type TargetDeps } from '../operations/targets.js';
import { DatabaseParams } from './schemas.js';

const Target = Type.Object({
  id: Type.String(),
  name: Type.String(),
  connection: Type.String({ description: 'Connection string with the password masked' }),
  intervalSeconds: Type.Integer(),
  diskLimitBytes: Type.Union([Type.Integer(), Type.Null()]),
  status: Type.String({ description: 'pending | ok | degraded (no pg_stat_statements) | unreachable | timeout | error' }),
  statusDetail: Type.String(),
  serverVersion: Type.Union([Type.Integer(), Type.Null()]),
  lastAttemptAt: Type.Union([Type.String(), Type.Null()]),
  lastSuccessAt: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});
const Interval = Type.Integer({ minimum: 5, maximum: 86_400, description: 'Collection interval in seconds' });
const DiskLimit = Type.Integer({ minimum: 1, description: 'Disk available to the database, for capacity forecasts' });

export const targetRoutes: FastifyPluginAsyncTypebox<TargetDeps & { collect: CollectDeps }> = async (app, deps) => {
  app.post(
    '/databases',
    {
      schema: {
        tags: ['databases'],
        summary: 'Register a PostgreSQL database to monitor',
        body: Type.Object(
          {
            name: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9 _.-]{0,99}$' }),
            connectionString: Type.String({ minLength: 10, maxLength: 2000, description: 'postgres:// URL of a pg_monitor role; encrypted at rest' }),
            intervalSeconds: Type.Optional(Interval),
            diskLimitBytes: Type.Optional(DiskLimit),
          },
          { additionalProperties: false },
        ),
        response: { 201: Target },
      },
    },
    async (req, reply) => reply.status(201).send(await registerTarget(deps, req.principal.tenantId, req.body)),
  );

  app.get('/databases', { schema: { summary: 'Monitored databases, by name', tags: ['databases'], querystring: PageQuery({ limit: 100, maxLimit: 1000 }), response: { 200: PageOf(Target) } } }, async (req) => listTargetViews(deps, req.principal.tenantId, req.query));

  app.get('/databases/:databaseId', { schema: { summary: 'One monitored database with its collection status', tags: ['databases'], params: DatabaseParams, response: { 200: Target } } }, async (req) =>
    getTargetView(deps, req.principal.tenantId, req.params.databaseId),
  );

  app.patch(
    '/databases/:databaseId',
    {
      schema: {
        summary: 'Change the interval, disk limit or connection string', tags: ['databases'],
        params: DatabaseParams,
        body: Type.Object(
          { intervalSeconds: Type.Optional(Interval), diskLimitBytes: Type.Optional(Type.Union([DiskLimit, Type.Null()])), connectionString: Type.Optional(Type.String({ minLength: 10, maxLength: 2000 })) },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: Target },
      },
    },
    async (req) => changeTarget(deps, req.principal.tenantId, req.params.databaseId, req.body),
  );

  app.delete('/databases/:databaseId', { schema: { summary: 'Stop monitoring a database and delete its data', tags: ['databases'], params: DatabaseParams } }, async (req, reply) => {
    await removeTarget(deps, req.principal.tenantId, req.params.databaseId);
    return reply.status(204).send();
  });

  app.post(
    '/databases/:databaseId/collections',
    {
      schema: {
        tags: ['databases'],
        summary: 'Run one collection cycle now (optionally with the index advisor) and return its outcome',
        params: DatabaseParams,
        body: Type.Optional(
          Type.Object(
            {
              advise: Type.Optional(Type.Boolean({ description: 'Also run the index advisor' })),
              sizes: Type.Optional(Type.Boolean({ description: 'Read relation sizes even if read in the last 10 minutes' })),
            },
            { additionalProperties: false },
          ),
        ),
      },
    },
    async (req) => collectNow(deps.collect, req.principal.tenantId, req.params.databaseId, { advise: req.body?.advise ?? false, sizes: req.body?.sizes ?? false }),
  );
};
