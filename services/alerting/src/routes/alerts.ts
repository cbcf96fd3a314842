// Alerts API (tenant-scoped).
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Pool } from 'pg';
import { listAlerts } from '../db/alerts.js';

const Alert = Type.Object({
  id: Type.String(),
  fingerprint: Type.String(),
  state: Type.String(),
  severity: Type.String(),
  labels: Type.Record(Type.String(), Type.String()),
  annotations: Type.Record(Type.String(), Type.String()),
  startsAt: Type.String(),
  resolvedAt: Type.Union([Type.String(), Type.Null()]),
});

export const alertRoutes: FastifyPluginAsyncTypebox<{ pool: Pool }> = async (app, { pool }) => {
  app.get(
    '/alerts',
    {
      schema: {
        tags: ['alerts'],
        querystring: Type.Object({ state: Type.Optional(Type.Union([Type.Literal('firing'), Type.Literal('acknowledged'), Type.Literal('resolved')])) }),
        response: { 200: Type.Array(Alert) },
      },
    },
    async (req) => listAlerts(pool, req.principal.tenantId, req.query.state),
  );
};
