// Projects API (tenant-scoped).
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { conflict } from '@vigil/service-kit';
import type { Pool } from 'pg';
import { createProject, listProjects } from '../db/projects.js';

const Project = Type.Object({ id: Type.String(), name: Type.String(), createdAt: Type.String() });

export const projectRoutes: FastifyPluginAsyncTypebox<{ pool: Pool }> = async (app, { pool }) => {
  app.get('/projects', { schema: { tags: ['projects'], response: { 200: Type.Array(Project) } } }, async (req) => listProjects(pool, req.principal.tenantId));
  app.post(
    '/projects',
    {
      config: { role: 'admin' },
      schema: { tags: ['projects'], body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }), response: { 201: Project } },
    },
    async (req, reply) => {
      const project = await createProject(pool, req.principal.tenantId, req.body.name);
      if (!project) throw conflict('ERRORS_PROJECT_EXISTS', `a project named "${req.body.name}" already exists`);
      return reply.status(201).send(project);
    },
  );
};
