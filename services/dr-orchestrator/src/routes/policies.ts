// Backup policies API (tenant-scoped). Writing a policy stores a credential: admin only.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Pool } from 'pg';
import type { Config } from '../config.js';
import type { OperationRunner } from '../operations/runner.js';
import { changePolicy, createPolicy, policyDetail, policyViews, removePolicy } from '../operations/policies.js';
import { IdParams, Policy, PolicyBody, PolicyPatchBody } from './schemas.js';

export const policyRoutes: FastifyPluginAsyncTypebox<{ pool: Pool; config: Config; runner: OperationRunner }> = async (app, { pool, config, runner }) => {
  app.post('/policies', { config: { role: 'admin' }, schema: { tags: ['policies'], body: PolicyBody, response: { 201: Policy } } }, async (req, reply) =>
    reply.status(201).send(await createPolicy(pool, config, req.principal.tenantId, req.body)),
  );
  app.get('/policies', { schema: { tags: ['policies'], response: { 200: Type.Array(Policy) } } }, async (req) => policyViews(pool, req.principal.tenantId));
  app.get('/policies/:id', { schema: { tags: ['policies'], params: IdParams, response: { 200: Policy } } }, async (req) =>
    policyDetail(pool, req.principal.tenantId, req.params.id),
  );
  app.patch('/policies/:id', { config: { role: 'admin' }, schema: { tags: ['policies'], params: IdParams, body: PolicyPatchBody, response: { 200: Policy } } }, async (req) =>
    changePolicy(pool, config, req.principal.tenantId, req.params.id, req.body),
  );
  app.delete('/policies/:id', { config: { role: 'admin' }, schema: { tags: ['policies'], params: IdParams } }, async (req, reply) => {
    await removePolicy(pool, runner, req.principal.tenantId, req.params.id);
    return reply.status(204).send();
  });
};

