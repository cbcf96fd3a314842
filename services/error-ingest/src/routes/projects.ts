// Projects and their DSN keys (tenant-scoped by API key).
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { conflict, notFound } from '@vigil/service-kit';
import type { Pool } from 'pg';
import { clientReportTotals } from '../db/accepted.js';
import { createKey, createProject, deleteProject, getProject, listKeys, listProjects, revokeKey, rotateKey, updateProject, type KeyRow } from '../db/projects.js';

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

export interface ProjectRouteOptions {
  pool: Pool;
  publicUrl: string;
  /** Called after a key is revoked or rotated, so ingest stops accepting it at once. */
  onKeysChanged: () => void;
}

export const projectRoutes: FastifyPluginAsyncTypebox<ProjectRouteOptions> = async (app, { pool, publicUrl, onKeysChanged }) => {
  const base = new URL(publicUrl);
  const withDsn = (k: KeyRow) => ({ ...k, dsn: `${base.protocol}//${k.publicKey}@${base.host}/${k.projectId}` });
  const mustProject = async (tenantId: string, id: string) => {
    const p = await getProject(pool, tenantId, id);
    if (!p) throw notFound('ERRORS_PROJECT_NOT_FOUND', `no project ${id}`);
    return p;
  };

  app.get('/projects', { schema: { tags, response: { 200: Type.Array(Project) } } }, async (req) => listProjects(pool, req.principal.tenantId));
  app.post(
    '/projects',
    {
      config: { role: 'admin' },
      schema: { tags, body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }), ...ProjectBody }, { additionalProperties: false }), response: { 201: Project } },
    },
    async (req, reply) => {
      const project = await createProject(pool, req.principal.tenantId, req.body);
      if (!project) throw conflict('ERRORS_PROJECT_EXISTS', `a project named "${req.body.name}" already exists`);
      return reply.status(201).send(project);
    },
  );
  app.get('/projects/:projectId', { schema: { tags, params: Type.Object({ projectId: ProjectId }), response: { 200: Project } } }, async (req) =>
    mustProject(req.principal.tenantId, req.params.projectId),
  );
  app.patch(
    '/projects/:projectId',
    {
      config: { role: 'admin' },
      schema: { tags, params: Type.Object({ projectId: ProjectId }), body: Type.Object({ name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })), ...ProjectBody }, { additionalProperties: false }), response: { 200: Project } },
    },
    async (req) => {
      const p = await updateProject(pool, req.principal.tenantId, req.params.projectId, req.body).catch((err: { code?: string }) => {
        throw err.code === '23505' ? conflict('ERRORS_PROJECT_EXISTS', `a project named "${req.body.name}" already exists`) : err;
      });
      if (!p) throw notFound('ERRORS_PROJECT_NOT_FOUND', `no project ${req.params.projectId}`);
      onKeysChanged();
      return p;
    },
  );
  app.delete('/projects/:projectId', { config: { role: 'admin' }, schema: { tags, params: Type.Object({ projectId: ProjectId }) } }, async (req, reply) => {
    if (!(await deleteProject(pool, req.principal.tenantId, req.params.projectId))) throw notFound('ERRORS_PROJECT_NOT_FOUND', `no project ${req.params.projectId}`);
    onKeysChanged();
    return reply.status(204).send();
  });

  app.get('/projects/:projectId/keys', { schema: { tags, params: Type.Object({ projectId: ProjectId }), response: { 200: Type.Array(Key) } } }, async (req) => {
    await mustProject(req.principal.tenantId, req.params.projectId);
    return (await listKeys(pool, req.principal.tenantId, req.params.projectId)).map(withDsn);
  });
  app.post(
    '/projects/:projectId/keys',
    {
      config: { role: 'admin' },
      schema: {
        tags,
        params: Type.Object({ projectId: ProjectId }),
        body: Type.Object({ label: Type.Optional(Type.String({ maxLength: 100 })), rateLimitPerMinute: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false }),
        response: { 201: Key },
      },
    },
    async (req, reply) => {
      const key = await createKey(pool, req.principal.tenantId, req.params.projectId, req.body?.label ?? '', req.body?.rateLimitPerMinute ?? null);
      if (!key) throw notFound('ERRORS_PROJECT_NOT_FOUND', `no project ${req.params.projectId}`);
      return reply.status(201).send(withDsn(key));
    },
  );
  app.post(
    '/projects/:projectId/keys/:keyId/rotate',
    { config: { role: 'admin' }, schema: { tags, summary: 'Issue a successor key and revoke this one', params: KeyParams, response: { 201: Key } } },
    async (req, reply) => {
      const r = await rotateKey(pool, req.principal.tenantId, req.params.projectId, req.params.keyId);
      if (!r) throw notFound('ERRORS_KEY_NOT_FOUND', `no key ${req.params.keyId} in project ${req.params.projectId}`);
      onKeysChanged();
      return reply.status(201).send(withDsn(r.key));
    },
  );
  app.delete('/projects/:projectId/keys/:keyId', { config: { role: 'admin' }, schema: { tags, summary: 'Revoke a key', params: KeyParams, response: { 200: Key } } }, async (req) => {
    const k = await revokeKey(pool, req.principal.tenantId, req.params.projectId, req.params.keyId);
    if (!k) throw notFound('ERRORS_KEY_NOT_FOUND', `no key ${req.params.keyId} in project ${req.params.projectId}`);
    onKeysChanged();
    return withDsn(k);
  });

  app.get(
    '/projects/:projectId/client-reports',
    {
      schema: {
        tags,
        summary: 'What SDKs reported dropping (client_report items), summed',
        params: Type.Object({ projectId: ProjectId }),
        querystring: Type.Object({ since: Type.Optional(Type.String({ format: 'date-time' })) }),
        response: { 200: Type.Array(Type.Object({ projectId: Type.String(), reason: Type.String(), category: Type.String(), quantity: Type.Integer() })) },
      },
    },
    async (req) => {
      await mustProject(req.principal.tenantId, req.params.projectId);
      return clientReportTotals(pool, req.principal.tenantId, req.params.projectId, new Date(req.query.since ?? Date.now() - 30 * 86_400_000));
    },
  );
};
