// The statement workbench and index-advice actions of one database (issue 16): ranked
// statements with their series, one statement's history and plan, and "mark advice applied".
import { Type } from '@sinclair/typebox';
import { PageOf, problemResponse } from '@vigil/service-kit';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { applyRecommendation, type AdviceDeps } from '../operations/advice.js';
import { getStatement, getStatementHistory, listStatements, planStatement } from '../operations/statements.js';
import { Hours } from './schemas.js';

const DatabaseIdParams = Type.Object({ databaseId: Type.String({ pattern: '^[A-Za-z0-9_.-]{1,100}$' }) });
const StatementParams = Type.Object({ ...DatabaseIdParams.properties, queryId: Type.String({ pattern: '^-?[0-9]{1,20}$', description: 'pg_stat_statements queryid' }) });
// 400/404 are declared by the kit; the others a route can answer, as problem+json.
const WHY: Record<number, string> = { 409: 'The change is not on the database yet: the detail names the statement to run', 422: 'PostgreSQL could not plan the statement', 502: 'The target database cannot be reached' };
const errors = (...codes: number[]) => Object.fromEntries(codes.filter((c) => c !== 400 && c !== 404).map((c) => [c, problemResponse(WHY[c] ?? 'Error')]));
const Cursor = Type.Optional(Type.String({ maxLength: 500, description: 'nextCursor of the previous page' }));
const Point = Type.Object({ at: Type.String(), calls: Type.Number(), totalMs: Type.Number(), meanMs: Type.Number(), rows: Type.Number() });

export const statementRoutes: FastifyPluginAsyncTypebox<AdviceDeps> = async (app, deps) => {
  app.get(
    '/databases/:databaseId/queries',
    {
      schema: {
        tags: ['queries'],
        summary: 'Statements ranked by total or mean time over the last hours, each with its per-interval series (for sparklines)',
        params: DatabaseIdParams,
        querystring: Type.Object({
          order: Type.Union([Type.Literal('total'), Type.Literal('mean')], { default: 'total' }),
          hours: Hours,
          limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
          cursor: Cursor,
        }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                queryId: Type.String(),
                query: Type.Union([Type.String(), Type.Null()]),
                calls: Type.Number(),
                totalMs: Type.Number(),
                meanMs: Type.Number(),
                rows: Type.Number(),
                lastSeenAt: Type.String(),
                series: Type.Array(Point),
              }),
            ),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errors(400, 404),
        },
      },
    },
    async (req) => listStatements(deps.pool, req.principal.tenantId, req.params.databaseId, req.query),
  );

  app.get(
    '/databases/:databaseId/queries/:queryId',
    {
      schema: {
        tags: ['queries'],
        summary: 'One statement of the target: its queryid and normalised text',
        params: StatementParams,
        response: { 200: Type.Object({ queryId: Type.String(), query: Type.String() }) },
      },
    },
    async (req) => getStatement(deps.pool, req.principal.tenantId, req.params.databaseId, req.params.queryId),
  );

  app.get(
    '/databases/:databaseId/queries/:queryId/history',
    {
      schema: {
        tags: ['queries'],
        summary: "One statement's calls, total and mean time and rows per collected interval, oldest first",
        params: StatementParams,
        querystring: Type.Object({ hours: Hours, limit: Type.Integer({ minimum: 1, maximum: 2000, default: 500 }), cursor: Cursor }),
        response: {
          200: PageOf(Point),
          ...errors(400, 404),
        },
      },
    },
    async (req) => getStatementHistory(deps.pool, req.principal.tenantId, req.params.databaseId, req.params.queryId, req.query),
  );

  app.post(
    '/databases/:databaseId/queries/:queryId/plans',
    {
      schema: {
        tags: ['queries'],
        summary: 'Plan a statement now on the monitored database: a generic plan, EXPLAIN without ANALYZE (nothing is executed)',
        params: StatementParams,
        response: {
          200: Type.Object({
            queryId: Type.String(),
            query: Type.String(),
            generic: Type.Boolean(),
            analyzed: Type.Boolean({ description: 'Always false: the statement is planned, never run' }),
            serverVersion: Type.Integer(),
            plannedAt: Type.String(),
            plan: Type.Record(Type.String(), Type.Unknown()),
          }),
          ...errors(404, 422, 502),
        },
      },
    },
    async (req) => planStatement(deps, req.principal.tenantId, req.params.databaseId, req.params.queryId),
  );

  app.post(
    '/databases/:databaseId/recommendations/:recommendationId/applications',
    {
      schema: {
        tags: ['indexes'],
        summary: 'Mark index advice as applied: the service checks the change is on the database, re-measures and records it in the optimization history',
        params: Type.Object({ ...DatabaseIdParams.properties, recommendationId: Type.String({ pattern: '^[0-9]{1,18}$' }) }),
        response: {
          201: Type.Object({
            id: Type.String({ description: 'The optimization recorded' }),
            kind: Type.String(),
            appliedAt: Type.String(),
            queries: Type.Array(
              Type.Object({
                queryId: Type.String(),
                costBefore: Type.Union([Type.Number(), Type.Null()]),
                costAfter: Type.Union([Type.Number(), Type.Null()]),
                meanMsBefore: Type.Union([Type.Number(), Type.Null()]),
              }),
            ),
          }),
          ...errors(404, 409, 502),
        },
      },
    },
    async (req, reply) => reply.status(201).send(await applyRecommendation(deps, req.principal.tenantId, req.params.databaseId, req.params.recommendationId)),
  );
};
