// Issues: list/search, detail with latest event and trends, events (paginated), status.
import { Type } from '@sinclair/typebox';
import { PageOf, pageQuery } from '@vigil/service-kit';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Pool } from 'pg';
import { issueDetail, issueEvents, projectStats, searchIssues } from '../operations/issues.js';
import { changeIssueStatus } from '../operations/issue-triage.js';
import { ProjectId } from './projects.js';

export const Status = Type.Union([Type.Literal('unresolved'), Type.Literal('resolved'), Type.Literal('ignored')]);
export const Resolution = Type.Union([Type.Literal('now'), Type.Literal('inRelease'), Type.Literal('inNextRelease')], {
  description: 'now: any new event regresses; inRelease: only a newer release; inNextRelease: a release newer than the current one',
});
export const Issue = Type.Object({
  id: Type.String(),
  projectId: Type.String(),
  fingerprint: Type.String(),
  title: Type.String(),
  culprit: Type.Union([Type.String(), Type.Null()]),
  level: Type.String(),
  exceptionType: Type.Union([Type.String(), Type.Null()]),
  status: Status,
  substatus: Type.String(),
  firstSeen: Type.String(),
  lastSeen: Type.String(),
  count: Type.Integer(),
  usersAffected: Type.Integer(),
  releases: Type.Array(Type.String()),
  environments: Type.Array(Type.String()),
  lastRelease: Type.Union([Type.String(), Type.Null()]),
  resolvedAt: Type.Union([Type.String(), Type.Null()]),
  resolvedInRelease: Type.Union([Type.String(), Type.Null()]),
  resolution: Type.Optional(Type.Union([Resolution, Type.Null()])),
  resolvedAfterRelease: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  regressedAt: Type.Optional(Type.Union([Type.String(), Type.Null()])),
});
const Event = Type.Object({
  eventId: Type.String(),
  receivedAt: Type.String(),
  occurredAt: Type.String(),
  level: Type.String(),
  release: Type.Union([Type.String(), Type.Null()]),
  environment: Type.Union([Type.String(), Type.Null()]),
  exceptionType: Type.Union([Type.String(), Type.Null()]),
  userRef: Type.Union([Type.String(), Type.Null()]),
  tags: Type.Record(Type.String(), Type.String()),
  payload: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});
const Point = Type.Object({ bucket: Type.String(), count: Type.Integer() });
export const IssueParams = Type.Object({ projectId: ProjectId, issueId: Type.String({ pattern: '^[0-9]{1,18}$' }) });
const tags = ['issues'];

export const issueRoutes: FastifyPluginAsyncTypebox<{ pool: Pool }> = async (app, { pool }) => {
  app.get(
    '/projects/:projectId/issues',
    {
      schema: {
        summary: 'Issues of a project: filter, search and sort; keyset pages', tags,
        params: Type.Object({ projectId: ProjectId }),
        querystring: Type.Object(
          {
            status: Type.Optional(Status),
            substatus: Type.Optional(Type.Union([Type.Literal('new'), Type.Literal('ongoing'), Type.Literal('regressed')])),
            level: Type.Optional(Type.String({ maxLength: 20 })),
            release: Type.Optional(Type.String({ maxLength: 250 })),
            environment: Type.Optional(Type.String({ maxLength: 64 })),
            exceptionType: Type.Optional(Type.String({ maxLength: 200 })),
            since: Type.Optional(Type.String({ format: 'date-time', description: 'last seen at or after' })),
            until: Type.Optional(Type.String({ format: 'date-time', description: 'first seen at or before' })),
            query: Type.Optional(Type.String({ maxLength: 200, description: 'substring of title or culprit' })),
            tag: Type.Optional(Type.String({ pattern: '^[^:]{1,200}:.{1,200}$', description: 'key:value — issues with an event carrying this tag' })),
            sort: Type.Union([Type.Literal('last_seen'), Type.Literal('first_seen'), Type.Literal('count'), Type.Literal('users')], { default: 'last_seen' }),
            ...pageQuery({ limit: 50, maxLimit: 200 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: PageOf(Issue) },
      },
    },
    async (req) => searchIssues(pool, req.principal.tenantId, req.params.projectId, req.query),
  );

  app.get(
    '/projects/:projectId/issues/:issueId',
    {
      schema: {
        tags,
        summary: 'Issue with its latest event and trend series (last 60 minutes, last 24 hours)',
        params: IssueParams,
        response: {
          200: Type.Object({
            issue: Issue,
            latestEvent: Type.Union([Event, Type.Null()]),
            tags: Type.Array(Type.Object({ key: Type.String(), values: Type.Array(Type.Object({ value: Type.String(), count: Type.Integer() })) })),
            trend: Type.Object({ minutes: Type.Array(Point), hours: Type.Array(Point) }),
          }),
        },
      },
    },
    async (req) => issueDetail(pool, req.principal.tenantId, req.params.projectId, req.params.issueId),
  );

  app.get(
    '/projects/:projectId/issues/:issueId/events',
    {
      schema: {
        summary: "An issue's events, newest first", tags,
        params: IssueParams,
        querystring: Type.Object({ ...pageQuery({ limit: 25, maxLimit: 100 }), full: Type.Boolean({ default: false }) }),
        response: { 200: PageOf(Event) },
      },
    },
    async (req) => issueEvents(pool, req.principal.tenantId, req.params.projectId, req.params.issueId, req.query),
  );

  app.patch(
    '/projects/:projectId/issues/:issueId',
    {
      schema: {
        summary: 'Resolve, ignore or reopen an issue', tags,
        params: IssueParams,
        body: Type.Object({ status: Status, resolution: Type.Optional(Resolution), resolvedInRelease: Type.Optional(Type.String({ minLength: 1, maxLength: 250 })) }, { additionalProperties: false }),
        response: { 200: Issue },
      },
    },
    async (req) => changeIssueStatus(pool, req.principal.tenantId, req.params.projectId, req.params.issueId, req.body),
  );

  app.get(
    '/projects/:projectId/stats',
    {
      schema: {
        tags,
        summary: 'Event counts of the project (last 60 minutes by minute, last 24 hours by hour)',
        params: Type.Object({ projectId: ProjectId }),
        response: { 200: Type.Object({ minutes: Type.Array(Point), hours: Type.Array(Point) }) },
      },
    },
    async (req) => projectStats(pool, req.principal.tenantId, req.params.projectId),
  );
};
