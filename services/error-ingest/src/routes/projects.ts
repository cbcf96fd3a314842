// Projects and their DSN keys (tenant-scoped by API key).
import { Type } from '@sinclair/typebox';
import { PageOf, PageQuery, pageQuery } from '@vigil/service-kit';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { addKey, addProject, changeProject, clientReports, keysOf, projectsOf, removeProject, replaceKey, requireProject, withdrawKey, type ProjectDeps } from '../operations/projects.js';

export const ProjectId = Type.String({ pattern: '^[0-9]{1,18}$', description: 'Numeric project id (the last part of the DSN)' });
const Scrubbing = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean()),
    emails: Type.Optional(Type.Boolean()),
    ipAddresses: Type.Optional(Type.Boolean()),
    creditCards: Type.Optional(Type.Boolean()),
    sensitiveFields: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 100 })),
  },
  { additionalProperties: false },
);
const Project = Type.Object({
  id: Type.String(),
  name: Type.String(),
  retentionDays: Type.Integer(),
  rateLimitPerMinute: Type.Union([Type.Integer(), Type.Null()]),
  scrubbing: Type.Object({ enabled: Type.Boolean(), emails: Type.Boolean(), ipAddresses: Type.Boolean(), creditCards: Type.Boolean(), sensitiveFields: Type.Array(Type.String()) }),
  createdAt: Type.String(),
});
const ProjectBody = {
  retentionDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
  rateLimitPerMinute: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
  scrubbing: Type.Optional(Scrubbing),
};
const Key = Type.Object({
  id: Type.String(),
  projectId: Type.String(),
  publicKey: Type.String(),
  dsn: Type.String(),
  label: Type.String(),
  rateLimitPerMinute: Type.Union([Type.Integer(), Type.Null()]),
  createdAt: Type.String(),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
});
const KeyParams = Type.Object({ projectId: ProjectId, keyId: Type.String({ pattern: '^[0-9]{1,18}$' }) });
const tags = ['projects'];

export const projectRoutes: FastifyPluginAsyncTypebox<ProjectDeps> = async (app, deps) => {
  app.get('/projects', { schema: { summary: 'Projects, oldest first', tags, querystring: PageQuery({ limit: 100, maxLimit: 500 }), response: { 200: PageOf(Project) } } }, async (req) => projectsOf(deps, req.principal.tenantId, req.query));
  app.post(
    '/projects',
    {
      config: { role: 'admin' },
      schema: { summary: 'Create a project (admin)', tags, body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }), ...ProjectBody }, { additionalProperties: false }), response: { 201: Project } },
    },
    async (req, reply) => reply.status(201).send(await addProject(deps, req.principal.tenantId, req.body)),
  );
  app.get('/projects/:projectId', { schema: { summary: 'One project', tags, params: Type.Object({ projectId: ProjectId }), response: { 200: Project } } }, async (req) =>
    requireProject(deps, req.principal.tenantId, req.params.projectId),
  );
  app.patch(
    '/projects/:projectId',
    {
      config: { role: 'admin' },
      schema: { summary: 'Change retention, rate limit or scrubbing of a project (admin)', tags, params: Type.Object({ projectId: ProjectId }), body: Type.Object({ name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })), ...ProjectBody }, { additionalProperties: false }), response: { 200: Project } },
    },
    async (req) => changeProject(deps, req.principal.tenantId, req.params.projectId, req.body),
  );
  app.delete('/projects/:projectId', { config: { role: 'admin' }, schema: { summary: 'Delete a project and its events (admin)', tags, params: Type.Object({ projectId: ProjectId }) } }, async (req, reply) => {
    await removeProject(deps, req.principal.tenantId, req.params.projectId);
    return reply.status(204).send();
  });

  app.get(
    '/projects/:projectId/keys',
    { schema: { summary: "The project's DSN keys, oldest first", tags, params: Type.Object({ projectId: ProjectId }), querystring: PageQuery({ limit: 100, maxLimit: 500 }), response: { 200: PageOf(Key) } } },
    async (req) => keysOf(deps, req.principal.tenantId, req.params.projectId, req.query),
  );
  app.post(
    '/projects/:projectId/keys',
    {
      config: { role: 'admin' },
      schema: {
        summary: 'Issue a DSN key (admin)', tags,
        params: Type.Object({ projectId: ProjectId }),
        body: Type.Object({ label: Type.Optional(Type.String({ maxLength: 100 })), rateLimitPerMinute: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false }),
        response: { 201: Key },
      },
    },
    async (req, reply) => reply.status(201).send(await addKey(deps, req.principal.tenantId, req.params.projectId, req.body)),
  );
  app.post(
    '/projects/:projectId/keys/:keyId/rotate',
    { config: { role: 'admin' }, schema: { tags, summary: 'Issue a successor key and revoke this one', params: KeyParams, response: { 201: Key } } },
    async (req, reply) => reply.status(201).send(await replaceKey(deps, req.principal.tenantId, req.params.projectId, req.params.keyId)),
  );
  app.delete('/projects/:projectId/keys/:keyId', { config: { role: 'admin' }, schema: { tags, summary: 'Revoke a key', params: KeyParams, response: { 200: Key } } }, async (req) =>
    withdrawKey(deps, req.principal.tenantId, req.params.projectId, req.params.keyId),
  );

  app.get(
    '/projects/:projectId/client-reports',
    {
      schema: {
        tags,
        summary: 'What SDKs reported dropping (client_report items), summed',
        params: Type.Object({ projectId: ProjectId }),
        querystring: Type.Object({ since: Type.Optional(Type.String({ format: 'date-time' })), ...pageQuery({ limit: 100, maxLimit: 500 }) }),
        response: { 200: PageOf(Type.Object({ projectId: Type.String(), reason: Type.String(), category: Type.String(), quantity: Type.Integer() })) },
      },
    },
    async (req) => clientReports(deps, req.principal.tenantId, req.params.projectId, req.query.since, req.query),
  );
};
