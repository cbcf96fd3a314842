// Reports' view of alerts: every alert open during a period, with its acknowledgement and resolution times.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { alertsOfPeriod } from '../operations/alert-period.js';
import type { AlertingDeps } from '../operations/deps.js';
import { Alert } from './schemas.js';

export const alertPeriodRoutes: FastifyPluginAsyncTypebox<{ deps: AlertingDeps }> = async (app, { deps }) => {
  app.get(
    '/alert-periods',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Alerts open at any moment of a period, with their acknowledgement and resolution times',
        description: 'Started before `to` and not resolved before `from`, oldest first; keyset-paginated. 400 ALERTING_PERIOD_INVALID when from is not before to, the span exceeds 366 days or the cursor is foreign.',
        querystring: Type.Object(
          {
            from: Type.String({ format: 'date-time' }),
            to: Type.String({ format: 'date-time' }),
            cursor: Type.Optional(Type.String({ maxLength: 200 })),
            limit: Type.Integer({ minimum: 1, maximum: 1000, default: 500 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(Alert), nextCursor: Type.Union([Type.String(), Type.Null()]) })},
      },
    },
    async (req) => alertsOfPeriod(deps, req.principal.tenantId, req.query),
  );
};
