// The issue stream's and issue page's extra reads (sparklines, series with release and regression
// markers, affected users, activity) and the bulk status change. Handlers: validate → one operation.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { pageQuery } from '@vigil/service-kit';
import type { Pool } from 'pg';
import { issueActivity, issueSeriesOf, issueTrends, issueUsers } from '../operations/issue-insights.js';
import { changeStatuses } from '../operations/issue-triage.js';
import { ProjectId } from './projects.js';
import { Issue, IssueParams, Resolution, Status } from './issues.js';

const tags = ['issues'];
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const issueInsightRoutes: FastifyPluginAsyncTypebox<{ pool: Pool }> = async (app, { pool }) => {
  app.get(
    '/projects/:projectId/issues/trends',
    {
      schema: {
        tags,
        summary: '24 hourly event counts (oldest first, the current hour last) of each listed issue: the issue stream’s sparklines',
        params: Type.Object({ projectId: ProjectId }),
        querystring: Type.Object(
          { issueIds: Type.String({ pattern: '^[0-9]{1,18}(,[0-9]{1,18}){0,199}$', description: 'comma-separated issue ids, at most 200' }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(Type.Object({ issueId: Type.String(), hours: Type.Array(Type.Integer(), { minItems: 24, maxItems: 24 }) })),
            nextCursor: Type.Null(),
            from: Type.String({ description: 'start of the first hour' }),
          }),
        },
      },
    },
    async (req) => issueTrends(pool, req.principal.tenantId, req.params.projectId, req.query.issueIds.split(',')),
  );

  app.post(
    '/projects/:projectId/issues/status',
    {
      schema: {
        tags,
        summary: 'Change the status of many issues at once (bulk resolve, ignore, unresolve); ids not in the project are skipped',
        params: Type.Object({ projectId: ProjectId }),
        body: Type.Object(
          {
            issueIds: Type.Array(Type.String({ pattern: '^[0-9]{1,18}$' }), { minItems: 1, maxItems: 500 }),
            status: Status,
            resolution: Type.Optional(Resolution),
            resolvedInRelease: Type.Optional(Type.String({ minLength: 1, maxLength: 250 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(Issue) }) },
      },
    },
    async (req) => ({ items: await changeStatuses(pool, req.principal.tenantId, req.params.projectId, req.body.issueIds, req.body) }),
  );

  app.get(
    '/projects/:projectId/issues/:issueId/series',
    {
      schema: {
        tags,
        summary: 'Event counts of an issue over 24 h (hourly) or 14 d (6-hourly), with the releases first seen and the regressions in the window',
        params: IssueParams,
        querystring: Type.Object({ period: Type.Union([Type.Literal('24h'), Type.Literal('14d')], { default: '24h' }) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            period: Type.String(),
            stepSeconds: Type.Integer(),
            points: Type.Array(Type.Object({ bucket: Type.String(), count: Type.Integer() })),
            releases: Type.Array(Type.Object({ release: Type.String(), firstSeen: Type.String(), count: Type.Integer() })),
            regressions: Type.Array(Type.Object({ at: Type.String(), release: Nullable(Type.String()), eventId: Nullable(Type.String()) })),
          }),
        },
      },
    },
    async (req) => issueSeriesOf(pool, req.principal.tenantId, req.params.projectId, req.params.issueId, req.query.period),
  );

  app.get(
    '/projects/:projectId/issues/:issueId/users',
    {
      schema: {
        tags,
        summary: 'Users the issue affected (pseudonyms) with their event counts, keyset-paginated',
        params: IssueParams,
        querystring: Type.Object(pageQuery({ limit: 20, maxLimit: 100 }), { additionalProperties: false }),
        response: {
          200: Type.Object({
            items: Type.Array(Type.Object({ userRef: Type.String(), events: Type.Integer(), firstSeen: Nullable(Type.String()), lastSeen: Nullable(Type.String()) })),
            nextCursor: Nullable(Type.String()),
            total: Type.Integer(),
          }),
        },
      },
    },
    async (req) => issueUsers(pool, req.principal.tenantId, req.params.projectId, req.params.issueId, req.query),
  );

  app.get(
    '/projects/:projectId/issues/:issueId/activity',
    {
      schema: {
        tags,
        summary: 'Status changes and regressions of an issue (with the release and event where each happened), newest first',
        params: IssueParams,
        querystring: Type.Object(pageQuery({ limit: 25, maxLimit: 100 }), { additionalProperties: false }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Type.String(),
                kind: Type.Union([Type.Literal('resolved'), Type.Literal('ignored'), Type.Literal('unresolved'), Type.Literal('regressed')]),
                at: Type.String(),
                release: Nullable(Type.String()),
                eventId: Nullable(Type.String()),
                detail: Type.Record(Type.String(), Type.Unknown()),
              }),
            ),
            nextCursor: Nullable(Type.String()),
          }),
        },
      },
    },
    async (req) => issueActivity(pool, req.principal.tenantId, req.params.projectId, req.params.issueId, req.query),
  );
};
