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
  id: Type.String({ description: 'Stable until the next advisor cycle replaces the advice' }),
  kind: Type.String({ description: 'unused_index | duplicate_index | invalid_index | missing_index' }),
  table: Type.String(),
  index: Type.Optional(Type.String()),
  statement: Type.String(),
  detail: Type.String(),
  savingPct: Type.Optional(Type.Number()),
  queries: Type.Array(Type.Object({ queryId: Type.String(), query: Type.String(), costBefore: Type.Optional(Type.Number()), costAfter: Type.Optional(Type.Number()) })),
  writeOverhead: Type.Optional(
    Type.Object(
      {
        indexBytes: Type.Number({ description: "hypopg's estimate of the new index's size" }),
        tableWrites: Type.Number({ description: 'Rows written in the table since statistics were reset; each would also update the index' }),
        tableRows: Type.Number(),
      },
      { description: 'What a new index costs on writes (missing_index only)' },
    ),
  ),
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
        response: {
          200: Type.Object({
            metric: Type.String(),
            resolution: Type.Union([Type.Literal('raw'), Type.Literal('hourly')]),
            points: Type.Array(Type.Object({ at: Type.String(), value: Type.Number(), min: Type.Optional(Type.Number()), max: Type.Optional(Type.Number()) })),
          }),
        },
      },
    },
    async (req) => series(pool, req.principal.tenantId, req.params.databaseId, req.params.metric, req.query.hours),
  );

  app.get(
    '/databases/:databaseId/capacity',
    { schema: { tags: ['capacity'], summary: 'Scalability report with growth trends and days until limits', params: DatabaseParams, querystring: Type.Object({ days: Type.Integer({ minimum: 1, maximum: 400, default: 30 }) }),
        response: {
          200: Type.Object({
            databaseId: Type.String(),
            name: Type.String(),
            days: Type.Integer(),
            database: Type.Object({ sizeBytes: Type.Union([Type.Number(), Type.Null()]), growthBytesPerDay: Type.Union([Type.Number(), Type.Null()]), diskLimitBytes: Type.Union([Type.Number(), Type.Null()]), daysUntilDiskFull: Type.Union([Type.Number(), Type.Null()]) }),
            connections: Type.Object({ current: Type.Union([Type.Number(), Type.Null()]), max: Type.Union([Type.Number(), Type.Null()]), growthPerDay: Type.Union([Type.Number(), Type.Null()]), daysUntilLimit: Type.Union([Type.Number(), Type.Null()]) }),
            qps: Type.Object({ current: Type.Union([Type.Number(), Type.Null()]), growthPerDay: Type.Union([Type.Number(), Type.Null()]) }),
            tables: Type.Array(Type.Object({ table: Type.String(), bytes: Type.Number(), growthBytesPerDay: Type.Number() })),
            notes: Type.Array(Type.String()),
          }),
        },
      },
    },
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
              source: Type.Union([Type.Literal('advice'), Type.Literal('manual')], { description: 'advice: marked applied from index advice and re-measured by the service' }),
              measuredAt: Type.Union([Type.String(), Type.Null()]),
              score: Type.Object({ before: Nullable(Type.Number()), after: Nullable(Type.Number()) }),
              queries: Type.Array(
                Type.Object({
                  queryId: Type.String(),
                  query: Type.Union([Type.String(), Type.Null()]),
                  meanMsBefore: Nullable(Type.Number()),
                  meanMsAfter: Nullable(Type.Number({ description: 'From the intervals collected after the change; null until one is' })),
                  costBefore: Nullable(Type.Number({ description: 'Plan cost before (advice only)' })),
                  costAfter: Nullable(Type.Number({ description: 'Plan cost re-measured by the service after the change (advice only)' })),
                }),
              ),
            }),
          ),
        },
      },
    },
    async (req) => optimizations(pool, req.principal.tenantId, req.params.databaseId, req.query.windowHours, req.query),
  );
};
