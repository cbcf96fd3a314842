// Issues: list/search, detail with latest event and trends, events (paginated), status.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { badRequest, notFound } from '@vigil/service-kit';
import type { Pool } from 'pg';
import { series } from '../db/counts.js';
import { listIssueEvents } from '../db/events.js';
import { getIssue, listIssues, setIssueStatus, topIssueTags } from '../db/issues.js';
import { getProject } from '../db/projects.js';
import { fillSeries } from '../domain/series.js';
import { ProjectId } from './projects.js';

const Status = Type.Union([Type.Literal('unresolved'), Type.Literal('resolved'), Type.Literal('ignored')]);
const Issue = Type.Object({
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
const IssueParams = Type.Object({ projectId: ProjectId, issueId: Type.String({ pattern: '^[0-9]{1,18}$' }) });
const tags = ['issues'];
const CURSOR = /^(\d{4}-\d{2}-\d{2}T[\d:.]+Z)\|([0-9a-f-]{36})$/;

export const issueRoutes: FastifyPluginAsyncTypebox<{ pool: Pool }> = async (app, { pool }) => {
  const mustIssue = async (tenantId: string, projectId: string, issueId: string) => {
    const issue = await getIssue(pool, tenantId, projectId, issueId);
    if (!issue) throw notFound('ERRORS_ISSUE_NOT_FOUND', `no issue ${issueId} in project ${projectId}`);
    return issue;
  };

  app.get(
    '/projects/:projectId/issues',
    {
      schema: {
        tags,
        params: Type.Object({ projectId: ProjectId }),
        querystring: Type.Object(
          {
            status: Type.Optional(Status),
            level: Type.Optional(Type.String({ maxLength: 20 })),
            release: Type.Optional(Type.String({ maxLength: 250 })),
            environment: Type.Optional(Type.String({ maxLength: 64 })),
            exceptionType: Type.Optional(Type.String({ maxLength: 200 })),
            since: Type.Optional(Type.String({ format: 'date-time', description: 'last seen at or after' })),
            until: Type.Optional(Type.String({ format: 'date-time', description: 'first seen at or before' })),
            query: Type.Optional(Type.String({ maxLength: 200, description: 'substring of title or culprit' })),
            tag: Type.Optional(Type.String({ pattern: '^[^:]{1,200}:.{1,200}$', description: 'key:value — issues with an event carrying this tag' })),
            sort: Type.Union([Type.Literal('last_seen'), Type.Literal('first_seen'), Type.Literal('count'), Type.Literal('users')], { default: 'last_seen' }),
            limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
            offset: Type.Integer({ minimum: 0, maximum: 100_000, default: 0 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ total: Type.Integer(), items: Type.Array(Issue) }) },
      },
    },
    async (req) => {
      if (!(await getProject(pool, req.principal.tenantId, req.params.projectId))) throw notFound('ERRORS_PROJECT_NOT_FOUND', `no project ${req.params.projectId}`);
      const { tag, ...rest } = req.query;
      const at = tag?.indexOf(':') ?? -1;
      return listIssues(pool, req.principal.tenantId, req.params.projectId, { ...rest, ...(tag ? { tag: { key: tag.slice(0, at), value: tag.slice(at + 1) } } : {}) });
    },
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
    async (req) => {
      const issue = await mustIssue(req.principal.tenantId, req.params.projectId, req.params.issueId);
      const now = new Date();
      const [latest, tagCounts, minutes, hours] = await Promise.all([
        listIssueEvents(pool, req.principal.tenantId, issue.id, 1, undefined, true),
        topIssueTags(pool, issue.id),
        series(pool, 'issue', issue.id, 'minute', new Date(now.getTime() - 3_600_000)),
        series(pool, 'issue', issue.id, 'hour', new Date(now.getTime() - 86_400_000)),
      ]);
      return {
        issue,
        latestEvent: latest[0] ?? null,
        tags: tagCounts,
        trend: { minutes: fillSeries(minutes, new Date(now.getTime() - 3_540_000), now, 60_000), hours: fillSeries(hours, new Date(now.getTime() - 82_800_000), now, 3_600_000) },
      };
    },
  );

  app.get(
    '/projects/:projectId/issues/:issueId/events',
    {
      schema: {
        tags,
        params: IssueParams,
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 100, default: 25 }), cursor: Type.Optional(Type.String({ maxLength: 100 })), full: Type.Boolean({ default: false }) }),
        response: { 200: Type.Object({ items: Type.Array(Event), nextCursor: Type.Union([Type.String(), Type.Null()]) }) },
      },
    },
    async (req) => {
      const issue = await mustIssue(req.principal.tenantId, req.params.projectId, req.params.issueId);
      let before: { receivedAt: string; eventId: string } | undefined;
      if (req.query.cursor) {
        const m = CURSOR.exec(req.query.cursor);
        if (!m) throw badRequest('ERRORS_CURSOR_INVALID', 'cursor must be the nextCursor of a previous page');
        before = { receivedAt: m[1]!, eventId: m[2]! };
      }
      const items = await listIssueEvents(pool, req.principal.tenantId, issue.id, req.query.limit, before, req.query.full);
      const last = items.at(-1);
      const lastId = last?.eventId.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
      return { items, nextCursor: last && items.length === req.query.limit ? `${last.receivedAt}|${lastId}` : null };
    },
  );

  app.patch(
    '/projects/:projectId/issues/:issueId',
    {
      schema: {
        tags,
        params: IssueParams,
        body: Type.Object({ status: Status, resolvedInRelease: Type.Optional(Type.String({ minLength: 1, maxLength: 250 })) }, { additionalProperties: false }),
        response: { 200: Issue },
      },
    },
    async (req) => {
      const issue = await setIssueStatus(pool, req.principal.tenantId, req.params.projectId, req.params.issueId, req.body.status, req.body.resolvedInRelease);
      if (!issue) throw notFound('ERRORS_ISSUE_NOT_FOUND', `no issue ${req.params.issueId} in project ${req.params.projectId}`);
      return issue;
    },
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
    async (req) => {
      if (!(await getProject(pool, req.principal.tenantId, req.params.projectId))) throw notFound('ERRORS_PROJECT_NOT_FOUND', `no project ${req.params.projectId}`);
      const now = new Date();
      const [minutes, hours] = await Promise.all([
        series(pool, 'project', req.params.projectId, 'minute', new Date(now.getTime() - 3_600_000)),
        series(pool, 'project', req.params.projectId, 'hour', new Date(now.getTime() - 86_400_000)),
      ]);
      return { minutes: fillSeries(minutes, new Date(now.getTime() - 3_540_000), now, 60_000), hours: fillSeries(hours, new Date(now.getTime() - 82_800_000), now, 3_600_000) };
    },
  );
};
