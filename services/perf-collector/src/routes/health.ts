// Health API: score a pushed snapshot, and the score history of a database.
import { Type } from '@sinclair/typebox';
import { PageOf, PageQuery } from '@vigil/service-kit';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Outbox } from '@vigil/events';
import type { Pool } from 'pg';
import { currentScore, recordHealth, scoreHistory } from '../operations/health.js';

const Params = Type.Object({ databaseId: Type.String({ pattern: '^[A-Za-z0-9_.-]{1,100}$' }) });
const Component = Type.Object({ name: Type.String(), penalty: Type.Number(), detail: Type.String() });
const Check = Type.Object({
  name: Type.String(),
  title: Type.String(),
  outcome: Type.Union([Type.Literal('passed'), Type.Literal('failed'), Type.Literal('skipped')], { description: 'skipped: nothing to examine (detail says why); never counted as passed' }),
  level: Type.Union([Type.Literal('ok'), Type.Literal('warning'), Type.Literal('critical'), Type.Literal('skipped')]),
  value: Type.Union([Type.Number(), Type.Null()], { description: 'The measured value in `unit`; null when skipped' }),
  unit: Type.String(),
  warn: Type.Number({ description: 'Warning threshold' }),
  crit: Type.Union([Type.Number(), Type.Null()], { description: 'Critical threshold, if the check has one' }),
  direction: Type.Union([Type.Literal('above'), Type.Literal('below')], { description: 'The check warns when the value is at or above (below: under) the threshold' }),
  detail: Type.String(),
  why: Type.String({ description: 'Why the check matters and what usually causes a warning' }),
});
const Score = Type.Object({
  score: Type.Integer(),
  status: Type.String(),
  components: Type.Array(Component),
  checks: Type.Optional(Type.Array(Check, { description: 'Every check behind the score (absent on scores stored before migration 0004)' })),
  scoredAt: Type.String(),
});

export const healthRoutes: FastifyPluginAsyncTypebox<{ pool: Pool; outbox: Outbox }> = async (app, deps) => {
  app.post(
    '/databases/:databaseId/health-snapshots',
    {
      schema: {
        summary: 'Score a pushed health snapshot of a registered database', tags: ['health'],
        params: Params,
        body: Type.Object(
          {
            databaseName: Type.String({ minLength: 1, maxLength: 200 }),
            maxMeanQueryMs: Type.Number({ minimum: 0 }),
            connectionsUsed: Type.Integer({ minimum: 0 }),
            maxConnections: Type.Integer({ minimum: 1 }),
            cacheHitRatio: Type.Number({ minimum: 0, maximum: 1 }),
            connectionLatencyMs: Type.Number({ minimum: 0 }),
            deadlocksPerHour: Type.Optional(Type.Number({ minimum: 0 })),
            wraparoundPct: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
            deadTupleRatio: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
            deadTupleTable: Type.Optional(Type.String({ maxLength: 200 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Score },
      },
    },
    async (req, reply) => {
      const { databaseName, ...snapshot } = req.body;
      return reply.status(201).send(await recordHealth(deps, req.principal.tenantId, { id: req.params.databaseId, name: databaseName }, snapshot));
    },
  );

  app.get(
    '/databases/:databaseId/health',
    { schema: { tags: ['health'], summary: 'Score history, newest first', params: Params, querystring: PageQuery({ limit: 100, maxLimit: 1000 }), response: { 200: PageOf(Score) } } },
    async (req) => scoreHistory(deps.pool, req.principal.tenantId, req.params.databaseId, req.query),
  );

  app.get(
    '/databases/:databaseId/health/current',
    { schema: { summary: 'The latest health score', tags: ['health'], params: Params, response: { 200: Score } } },
    async (req) => currentScore(deps.pool, req.principal.tenantId, req.params.databaseId),
  );
};
