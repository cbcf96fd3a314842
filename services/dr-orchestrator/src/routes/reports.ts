// Objectives, trends, the business continuity document and the runbooks.
import { Type } from '@sinclair/typebox';
import { pageInMemory, PageOf, PageQuery, pageQuery } from '@vigil/service-kit';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Pool } from 'pg';
import { objectiveHistoryOf } from '../operations/objective-history.js';
import { continuityOf, objectivesOf, trendsOf } from '../operations/reports.js';
import { findRunbook, runbookSummaries, type Runbook } from '../domain/runbooks.js';
import { PolicyParams } from './schemas.js';

const Objective = Type.Object({ targetSeconds: Type.Number(), actualSeconds: Type.Union([Type.Number(), Type.Null()]), breached: Type.Boolean() });
const Breach = Type.Object({
  objective: Type.String(),
  targetSeconds: Type.Number(),
  actualSeconds: Type.Number(),
  detectedAt: Type.String(),
  resolvedAt: Type.Optional(Type.Union([Type.String(), Type.Null()])),
});
const HistoryPoint = Type.Object({
  at: Type.String({ format: 'date-time', description: 'When the restore finished' }),
  verificationId: Type.String(),
  backupId: Type.String(),
  kind: Type.Union([Type.Literal('verification'), Type.Literal('drill')]),
  status: Type.Union([Type.Literal('passed'), Type.Literal('failed')]),
  rpoSeconds: Type.Union([Type.Number(), Type.Null()], { description: 'Verified RPO: data a disaster at that moment would have lost (null when the restore failed)' }),
  rtoSeconds: Type.Union([Type.Number(), Type.Null()], { description: 'Measured restore + verify time' }),
  rpoTargetSeconds: Type.Number(),
  rtoTargetSeconds: Type.Number(),
  rpoMet: Type.Union([Type.Boolean(), Type.Null()]),
  rtoMet: Type.Union([Type.Boolean(), Type.Null()]),
});
const RunbookSummary = Type.Object({ slug: Type.String(), title: Type.String(), version: Type.Integer(), updated: Type.String(), sha256: Type.String(), href: Type.String() });

export const reportRoutes: FastifyPluginAsyncTypebox<{ pool: Pool; runbooks: Map<string, Runbook> }> = async (app, { pool, runbooks }) => {
  app.get(
    '/policies/:policyId/objectives',
    {
      schema: {
        summary: 'Current RPO and RTO against their targets, with open breaches', tags: ['objectives'],
        params: PolicyParams,
        response: { 200: Type.Object({ policyId: Type.String(), lastVerifiedSnapshotAt: Type.Union([Type.String(), Type.Null()]), rpo: Objective, rto: Objective, openBreaches: Type.Array(Breach) }) },
      },
    },
    async (req) => objectivesOf(pool, req.principal.tenantId, req.params.policyId),
  );
  app.get(
    '/policies/:policyId/trends',
    { schema: { summary: 'Backups, restores, RPO exposure and breaches over the last days', tags: ['objectives'], params: PolicyParams, querystring: Type.Object({ days: Type.Integer({ minimum: 1, maximum: 3650, default: 30 }) }) } },
    async (req) => trendsOf(pool, req.principal.tenantId, req.params.policyId, req.query.days),
  );
  app.get(
    '/policies/:policyId/objective-history',
    {
      schema: {
        tags: ['objectives'],
        summary: 'RPO and RTO of every finished restore (verifications and drills), oldest first, against the targets',
        params: PolicyParams,
        querystring: Type.Object(
          {
            days: Type.Integer({ minimum: 1, maximum: 3650, default: 90, description: 'How far back' }),
            ...pageQuery({ limit: 500, maxLimit: 1000 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: PageOf(HistoryPoint) },
      },
    },
    async (req) => objectiveHistoryOf(pool, req.principal.tenantId, req.params.policyId, req.query),
  );
  app.get('/continuity-document', { schema: { summary: 'The business continuity document (Markdown)', tags: ['continuity'], produces: ['text/markdown'] } }, async (req, reply) =>
    reply.type('text/markdown; charset=utf-8').send(await continuityOf(pool, req.principal.tenantId)),
  );
  app.get('/runbooks', { schema: { summary: 'Runbooks, by slug', tags: ['runbooks'], querystring: PageQuery({ limit: 100, maxLimit: 500 }), response: { 200: PageOf(RunbookSummary) } } }, async (req) =>
    pageInMemory(runbookSummaries(runbooks), req.query, (r) => [r.slug], ['asc']),
  );
  app.get(
    '/runbooks/:slug',
    { schema: { summary: 'One runbook (Markdown, versioned)', tags: ['runbooks'], params: Type.Object({ slug: Type.String({ pattern: '^[a-z0-9-]{1,80}$' }) }), produces: ['text/markdown'] } },
    async (req, reply) => {
      const r = findRunbook(runbooks, req.params.slug);
      return reply
        .type('text/markdown; charset=utf-8')
        .header('x-runbook-version', String(r.version))
        .header('etag', `"${r.sha256.slice(0, 32)}"`)
        .send(r.markdown);
    },
  );
};
