// Erasure exceptions API: retention policies, legal holds (ending one re-runs erasure), purge evidence.
import { Type } from '@sinclair/typebox';
import { PageOf, PageQuery, pageQuery } from '@vigil/service-kit';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ERASURE_GROUNDS } from '../domain/exceptions.js';
import { legalHolds, placeLegalHold, purgeRuns, releaseLegalHold, retentionPolicies, setRetentionPolicy } from '../operations/exceptions.js';
import type { RequestDeps } from '../operations/requests.js';

const Ground = Type.Union(ERASURE_GROUNDS.map((g) => Type.Literal(g)));
const Category = Type.String({ minLength: 1, maxLength: 100, pattern: '^[a-z0-9_.:-]+$' });
const Hold = Type.Object({
  id: Type.String(),
  category: Type.String(),
  subjectRef: Type.Union([Type.String(), Type.Null()]),
  ground: Type.String(),
  reason: Type.String(),
  createdAt: Type.String(),
  endedAt: Type.Union([Type.String(), Type.Null()]),
});
const Policy = Type.Object({ id: Type.String(), category: Type.String(), ground: Type.String(), description: Type.String(), retentionDays: Type.Integer(), createdAt: Type.String() });

export const exceptionRoutes: FastifyPluginAsyncTypebox<{ deps: RequestDeps }> = async (app, { deps }) => {
  app.put(
    '/retention-policies/:category',
    {
      config: { role: 'admin' },
      schema: {
        summary: 'Set the retention policy of a data category (admin)', tags: ['exceptions'],
        params: Type.Object({ category: Category }),
        body: Type.Object(
          { ground: Ground, description: Type.String({ minLength: 3, maxLength: 1000 }), retentionDays: Type.Integer({ minimum: 1, maximum: 36_500 }) },
          { additionalProperties: false },
        ),
        response: { 200: Policy },
      },
    },
    async (req) => setRetentionPolicy(deps, req.principal.tenantId, { category: req.params.category, ...req.body }),
  );

  app.get('/retention-policies', { schema: { summary: 'Retention policies, by category', tags: ['exceptions'], querystring: PageQuery({ limit: 100, maxLimit: 1000 }), response: { 200: PageOf(Policy) } } }, async (req) =>
    retentionPolicies(deps, req.principal.tenantId, req.query),
  );

  app.post(
    '/legal-holds',
    {
      config: { role: 'admin' },
      schema: {
        summary: 'Place a legal hold on a category or a subject (admin)', tags: ['exceptions'],
        body: Type.Object(
          { category: Category, ground: Ground, reason: Type.String({ minLength: 3, maxLength: 1000 }), subjectId: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })) },
          { additionalProperties: false },
        ),
        response: { 201: Hold },
      },
    },
    async (req, reply) => reply.status(201).send(await placeLegalHold(deps, req.principal.tenantId, req.body)),
  );

  app.get(
    '/legal-holds',
    { schema: { summary: 'Legal holds, oldest first (active ones by default)', tags: ['exceptions'], querystring: Type.Object({ active: Type.Boolean({ default: true }), ...pageQuery({ limit: 100, maxLimit: 1000 }) }), response: { 200: PageOf(Hold) } } },
    async (req) => legalHolds(deps, req.principal.tenantId, req.query.active, req.query),
  );

  app.post(
    '/legal-holds/:holdId/end',
    {
      config: { role: 'admin' },
      schema: {
        summary: 'End a legal hold; erasure runs again where data was retained (admin)', tags: ['exceptions'],
        description: 'Ends the hold; erasure runs again for requests that retained data.',
        params: Type.Object({ holdId: Type.String({ format: 'uuid' }) }),
        response: { 200: Type.Object({ hold: Hold, rerunRequests: Type.Array(Type.String()) }) },
      },
    },
    async (req) => releaseLegalHold(deps, req.principal.tenantId, req.params.holdId),
  );

  app.get(
    '/purge-runs',
    {
      schema: {
        summary: 'Storage-limitation purges, newest first (Art. 5(1)(e))', tags: ['exceptions'],
        description: 'Evidence of storage-limitation purges (Art. 5(1)(e)).',
        querystring: PageQuery({ limit: 100, maxLimit: 1000 }),
        response: { 200: PageOf(Type.Object({
              id: Type.String(),
              category: Type.String(),
              cutoff: Type.String(),
              rows: Type.Integer(),
              detail: Type.Record(Type.String(), Type.Unknown()),
              ranAt: Type.String(),
            })) },
      },
    },
    async (req) => purgeRuns(deps, req.principal.tenantId, req.query),
  );
};
