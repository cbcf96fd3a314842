// APM read API (per-service summaries) and the self-monitoring status of Vigil's services.
import { Type } from '@sinclair/typebox';
import { PageOf, PageQuery } from '@vigil/service-kit';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Pool } from 'pg';
import { apmService, apmServices, selfChecks } from '../operations/apm.js';
import { Hours } from './schemas.js';

const Summary = Type.Object({
  service: Type.String(),
  at: Type.String(),
  requests: Type.Number(),
  errors: Type.Number(),
  errorRate: Type.Number(),
  throughput: Type.Number({ description: 'Requests per second over the exported window' }),
  latencyMeanMs: Type.Union([Type.Number(), Type.Null()]),
  latencyP50Ms: Type.Union([Type.Number(), Type.Null()]),
  latencyP95Ms: Type.Union([Type.Number(), Type.Null()]),
  latencyP99Ms: Type.Union([Type.Number(), Type.Null()]),
});

export const apmRoutes: FastifyPluginAsyncTypebox<{ pool: Pool }> = async (app, { pool }) => {
  app.get('/apm/services', { schema: { summary: 'APM services with their latest summary', tags: ['apm'], querystring: PageQuery({ limit: 100, maxLimit: 1000 }), response: { 200: PageOf(Summary) } } }, async (req) => apmServices(pool, req.principal.tenantId, req.query));

  app.get(
    '/apm/services/:service',
    {
      schema: {
        summary: 'One APM service: latest summary, history and metric names', tags: ['apm'],
        params: Type.Object({ service: Type.String({ minLength: 1, maxLength: 255 }) }),
        querystring: Type.Object({ hours: Hours }),
        response: {
          200: Type.Object({
            service: Type.String(),
            latest: Type.Union([Summary, Type.Null()]),
            history: Type.Array(Summary),
            metrics: Type.Array(Type.Object({ metric: Type.String(), kind: Type.String(), points: Type.Integer(), lastAt: Type.String() })),
          }),
        },
      },
    },
    async (req) => apmService(pool, req.principal.tenantId, req.params.service, req.query.hours),
  );

  app.get(
    '/self-monitoring',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['apm'],
        summary: 'Latest health check of each Vigil service (platform-wide, admin only)',
        querystring: PageQuery({ limit: 100, maxLimit: 1000 }),
        response: {
          200: PageOf(
            Type.Object({
              service: Type.String(),
              url: Type.String(),
              ok: Type.Boolean(),
              httpStatus: Type.Union([Type.Integer(), Type.Null()]),
              latencyMs: Type.Union([Type.Number(), Type.Null()]),
              detail: Type.String(),
              checkedAt: Type.String(),
            }),
          ),
        },
      },
    },
    async (req) => selfChecks(pool, req.query),
  );
};
