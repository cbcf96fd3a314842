// Backups, verifications and drills: start them (202 + a link to poll), list them, read one
// with its progress. Runs are tenant-scoped through their policy.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Pool } from 'pg';
import { getBackup } from '../db/backups.js';
import { Errors } from '../errors.js';
import { requirePolicy } from '../operations/policies.js';
import { backupsOf, oneBackup, oneVerification, verificationsOf } from '../operations/reports.js';
import type { OperationRunner } from '../operations/runner.js';
import { Accepted, Backup, IdParams, Verification } from './schemas.js';

export const operationRoutes: FastifyPluginAsyncTypebox<{ pool: Pool; runner: OperationRunner }> = async (app, { pool, runner }) => {
  app.post('/policies/:id/backups', { schema: { tags: ['backups'], params: IdParams, response: { 202: Accepted } } }, async (req, reply) => {
    const policy = await requirePolicy(pool, req.principal.tenantId, req.params.id);
    const id = await runner.startBackup(policy, 'manual');
    return reply.status(202).send({ id, status: 'running', href: `/v1/backups/${id}` });
  });
  app.get('/policies/:id/backups', { schema: { tags: ['backups'], params: IdParams, response: { 200: Type.Array(Backup) } } }, async (req) => {
    await requirePolicy(pool, req.principal.tenantId, req.params.id);
    return backupsOf(pool, req.principal.tenantId, req.params.id);
  });
  app.get('/backups/:id', { schema: { tags: ['backups'], params: IdParams, response: { 200: Backup } } }, async (req) => oneBackup(pool, req.principal.tenantId, req.params.id));

  app.post('/backups/:id/verifications', { schema: { tags: ['verifications'], params: IdParams, response: { 202: Accepted } } }, async (req, reply) => {
    const backup = await getBackup(pool, req.principal.tenantId, req.params.id);
    if (!backup) throw Errors.backupNotFound(req.params.id);
    const policy = await requirePolicy(pool, req.principal.tenantId, backup.policyId);
    const started = await runner.startVerification(policy, 'verification', 'manual', backup.id);
    return reply.status(202).send({ id: started.verificationId, backupId: started.backupId, status: 'running', href: `/v1/verifications/${started.verificationId}` });
  });
  app.get('/policies/:id/verifications', { schema: { tags: ['verifications'], params: IdParams, response: { 200: Type.Array(Verification) } } }, async (req) => {
    await requirePolicy(pool, req.principal.tenantId, req.params.id);
    return verificationsOf(pool, req.principal.tenantId, req.params.id);
  });
  app.get('/verifications/:id', { schema: { tags: ['verifications'], params: IdParams, response: { 200: Verification } } }, async (req) =>
    oneVerification(pool, req.principal.tenantId, req.params.id),
  );

  app.post('/policies/:id/drills', { schema: { tags: ['drills'], params: IdParams, response: { 202: Accepted } } }, async (req, reply) => {
    const policy = await requirePolicy(pool, req.principal.tenantId, req.params.id);
    const started = await runner.startVerification(policy, 'drill', 'manual');
    return reply.status(202).send({ id: started.verificationId, backupId: started.backupId, status: 'running', href: `/v1/verifications/${started.verificationId}` });
  });
  app.get('/policies/:id/drills', { schema: { tags: ['drills'], params: IdParams, response: { 200: Type.Array(Verification) } } }, async (req) => {
    await requirePolicy(pool, req.principal.tenantId, req.params.id);
    return verificationsOf(pool, req.principal.tenantId, req.params.id, 'drill');
  });
};
