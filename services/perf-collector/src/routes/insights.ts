// Read API of a monitored database: slow queries, statements, recommendations, metric series,
// capacity report and the optimization history.
import { Type } from '@sinclair/typebox';
import { PageOf, PageQuery, pageQuery } from '@vigil/service-kit';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Pool } from 'pg';
import { capacity, optimizations, recommendations, recordOptimization, series, slowQueries, statements } from '../operations/insights.js';
import { DatabaseParams, Hours } from './schemas.js';

const Order = Type.Union([Type.Literal('total'), Type.Literal('mean')], { default: 'total' });
const Nullable = <T extends ReturnType<typeof Type.Number>>(t: T) => Type.Union([t, Type.Null()]);

const SlowQuery = Type.Object({
  queryId: Type.String(),
  query: Type.String(),
  calls: Type.Number(),
  totalMs: Type.Number(),
  meanMs: Type.Number(),
  severity: Type.String(),
  plan: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  planError: Type.Optional(Type.String()),
  detectedAt: Type.String(),
});
const Recommendation = Type.Object({
  kind: Type.String({ description: 'unused_index | duplicate_index | invalid_index | missing_index' }),
  table: Type.String(),
  index: Type.Optional(Type.String()),
  statement: Type.String(),
  detail: Type.String(),
  savingPct: Type.Optional(Type.Number()),
  queries: Type.Array(Type.Object({ queryId: Type.String(), query: Type.String(), costBefore: Type.Optional(Type.Number()), costAfter: Type.Optional(Type.Number()) })),
  createdAt: Type.String(),
});

export const insightRoutes: FastifyPluginAsyncTypebox<{ pool: Pool }> = async (app, { pool }) => {
  app.get(
    '/databases/:databaseId/slow-queries',
    { schema: { summary: 'Slow queries with their plans, the worst first', tags: ['queries'], params: DatabaseParams, querystring: Type.Object({ order: Order, ...pageQuery({ limit: 20, maxLimit: 500 }) }), response: { 200: PageOf(SlowQuery) } } },
    async (req) => slowQueries(pool, req.principal.tenantId, req.params.databaseId, req.query.order, req.query),
  );

  app.get(
    '/databases/:databaseId/statements',
    {
      schema: {
        tags: ['queries'],
        summary: 'Top-N normalised statements by total or mean time over the last hours',
        params: DatabaseParams,
        querystring: Type.Object({ order: Order, hours: Hours, ...pageQuery({ limit: 20, maxLimit: 500 }) }),
        response: { 200: PageOf(Type.Object({ queryId: Type.String(), query: Type.Union([Type.String(), Type.Null()]), calls: Type.Number(), totalMs: Type.Number(), meanMs: Type.Number() })) },
      },
    },
    async (req) => statements(pool, req.principal.tenantId, req.params.databaseId, req.query.order, req.query, req.query.hours),
  );

  app.get(
    '/databases/:databaseId/recommendations',
    { schema: { summary: 'Index recommendations: unused, duplicate, invalid and missing indexes', tags: ['indexes'], params: DatabaseParams, querystring: PageQuery({ limit: 100, maxLimit: 1000 }), response: { 200: PageOf(Recommendation) } } },
    async (req) => recommendations(pool, req.principal.tenantId, req.params.databaseId, req.query),
  );

  app.get(
    '/databases/:databaseId/metrics/:metric',
    {
      schema: {
        tags: ['metrics'],
        summary: 'One metric over time: raw samples up to 48 hours, hourly rollups beyond',
        params: Type.Object({ ...DatabaseParams.properties, metric: Type.String({ pattern: '^[a-z_]{1,64}$' }) }),
        querystring: Type.Object({ hours: Hours }),
      },
    },
    async (req) => series(pool, req.principal.tenantId, req.params.databaseId, req.params.metric, req.query.hours),
  );

  app.get(
    '/databases/:databaseId/capacity',
    { schema: { tags: ['capacity'], summary: 'Scalability report with growth trends and days until limits', params: DatabaseParams, querystring: Type.Object({ days: Type.Integer({ minimum: 1, maximum: 400, default: 30 }) }) } },
    async (req) => capacity(pool, req.principal.tenantId, req.params.databaseId, req.query.days),
  );

  app.post(
    '/databases/:databaseId/optimizations',
    {
      schema: {
        tags: ['optimizations'],
        summary: 'Record an applied change (index created, setting changed, ...)',
        params: DatabaseParams,
        body: Type.Object(
          {
            kind: Type.Union(['index_created', 'index_dropped', 'setting_changed', 'query_rewritten', 'other'].map((k) => Type.Literal(k))),
            description: Type.String({ minLength: 1, maxLength: 2000 }),
            appliedAt: Type.Optional(Type.String({ format: 'date-time' })),
            queryIds: Type.Optional(Type.Array(Type.String({ pattern: '^-?[0-9]{1,20}$' }), { maxItems: 100 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ id: Type.String(), appliedAt: Type.String() }) },
      },
    },
    async (req, reply) => reply.status(201).send(await recordOptimization(pool, req.principal.tenantId, req.params.databaseId, req.body)),
  );

  app.get(
    '/databases/:databaseId/optimizations',
    {
      schema: {
        tags: ['optimizations'],
        summary: 'Applied changes with mean query time and health score before and after',
        params: DatabaseParams,
        querystring: Type.Object({ windowHours: Type.Integer({ minimum: 1, maximum: 24 * 30, default: 24 }), ...pageQuery({ limit: 100, maxLimit: 1000 }) }),
        response: {
          200: PageOf(
            Type.Object({
              id: Type.String(),
              kind: Type.String(),
              description: Type.String(),
              appliedAt: Type.String(),
              score: Type.Object({ before: Nullable(Type.Number()), after: Nullable(Type.Number()) }),
              queries: Type.Array(Type.Object({ queryId: Type.String(), query: Type.Union([Type.String(), Type.Null()]), meanMsBefore: Nullable(Type.Number()), meanMsAfter: Nullable(Type.Number()) })),
            }),
          ),
        },
      },
    },
    async (req) => optimizations(pool, req.principal.tenantId, req.params.databaseId, req.query.windowHours, req.query),
  );
};
