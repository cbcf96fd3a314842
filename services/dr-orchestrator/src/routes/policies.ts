// Backup policies API (tenant-scoped).
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Pool } from 'pg';
import { listPolicies } from '../db/policies.js';

export const policyRoutes: FastifyPluginAsyncTypebox<{ pool: Pool }> = async (app, { pool }) => {
  app.get(
    '/policies',
    {
      schema: {
        tags: ['policies'],
        response: { 200: Type.Array(Type.Object({ id: Type.String(), database: Type.String(), schedule: Type.String(), createdAt: Type.String() })) },
      },
    },
    async (req) => listPolicies(pool, req.principal.tenantId),
  );
};
