// Backup policies API (tenant-scoped). Writing a policy stores a credential: admin only.
import { PageOf, PageQuery } from '@vigil/service-kit';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Pool } from 'pg';
import type { Config } from '../config.js';
import type { OperationRunner } from '../operations/runner.js';
import { changePolicy, createPolicy, policyDetail, policyViews, removePolicy } from '../operations/policies.js';
import { Policy, PolicyParams, PolicyBody, PolicyPatchBody } from './schemas.js';

export const policyRoutes: FastifyPluginAsyncTypebox<{ pool: Pool; config: Config; runner: OperationRunner }> = async (app, { pool, config, runner }) => {
  app.post('/policies', { config: { role: 'admin' }, schema: { summary: 'Create a backup policy (stores the source credential encrypted; admin)', tags: ['policies'], body: PolicyBody, response: { 201: Policy } } }, async (req, reply) =>
    reply.status(201).send(await createPolicy(pool, config, req.principal.tenantId, req.body)),
  );
  app.get('/policies', { schema: { summary: 'Backup policies, oldest first', tags: ['policies'], querystring: PageQuery({ limit: 100, maxLimit: 500 }), response: { 200: PageOf(Policy) } } }, async (req) =>
    policyViews(pool, req.principal.tenantId, req.query),
  );
  app.get('/policies/:policyId', { schema: { summary: 'One backup policy', tags: ['policies'], params: PolicyParams, response: { 200: Policy } } }, async (req) =>
    policyDetail(pool, req.principal.tenantId, req.params.policyId),
  );
  app.patch('/policies/:policyId', { config: { role: 'admin' }, schema: { summary: 'Change a backup policy (admin)', tags: ['policies'], params: PolicyParams, body: PolicyPatchBody, response: { 200: Policy } } }, async (req) =>
    changePolicy(pool, config, req.principal.tenantId, req.params.policyId, req.body),
  );
  app.delete('/policies/:policyId', { config: { role: 'admin' }, schema: { summary: 'Delete a backup policy (admin; 409 while an operation runs)', tags: ['policies'], params: PolicyParams } }, async (req, reply) => {
    await removePolicy(pool, runner, req.principal.tenantId, req.params.policyId);
    return reply.status(204).send();
  });
};

