// Which services hold personal data and answer requests (platform-wide registry).
import { Type } from '@sinclair/typebox';
import { PageOf, PageQuery } from '@vigil/service-kit';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Pool } from 'pg';
import { dataHolders } from '../operations/data-holders.js';

export const dataHolderRoutes: FastifyPluginAsyncTypebox<{ pool: Pool }> = async (app, { pool }) => {
  app.get(
    '/data-holders',
    {
      schema: {
        summary: 'Services holding personal data and the requests they answer (platform-wide)', tags: ['registry'],
        querystring: PageQuery({ limit: 100, maxLimit: 1000 }),
        response: {
          200: PageOf(
            Type.Object({
              service: Type.String(),
              categories: Type.Array(Type.Object({ category: Type.String(), tables: Type.Array(Type.String()), description: Type.String() })),
              handles: Type.Array(Type.String()),
              registeredAt: Type.String(),
            }),
          ),
        },
      },
    },
    async (req) => dataHolders(pool, req.query),
  );
};
