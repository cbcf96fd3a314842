// Backups, verifications and drills: start them (202 + a link to poll), list them, read one
// with its progress. Runs are tenant-scoped through their policy.
import { Type } from '@sinclair/typebox';
import { PageOf, PageQuery } from '@vigil/service-kit';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Pool } from 'pg';
import { startManualBackup, startManualDrill, startManualVerification } from '../operations/manual-runs.js';
import { backupsOf, oneBackup, oneVerification, verificationsOf } from '../operations/reports.js';
import type { OperationRunner } from '../operations/runner.js';
import { Accepted, Backup, BackupParams, PolicyParams, Verification, VerificationParams } from './schemas.js';

const BackupQuery = Type.Object(
  { type: Type.Optional(Type.Union([Type.Literal('full'), Type.Literal('diff'), Type.Literal('incr')], { description: 'Physical policies: pgBackRest backup type (default full)' })) },
  { additionalProperties: false },
);
const DrillQuery = Type.Object(
  { targetTime: Type.Optional(Type.String({ format: 'date-time', description: 'Physical policies: restore to this moment instead of a random one' })) },
  { additionalProperties: false },
);

const running = (run: { id: string; backupId?: string }, href: string) => ({ ...run, status: 'running', href: `${href}/${run.id}` });

export const operationRoutes: FastifyPluginAsyncTypebox<{ pool: Pool; runner: OperationRunner }> = async (app, { pool, runner }) => {
  app.post('/policies/:policyId/backups', { schema: { summary: 'Start a backup now (202 with a link to poll)', tags: ['backups'], params: PolicyParams, querystring: BackupQuery, response: { 202: Accepted } } }, async (req, reply) =>
    reply.status(202).send(running(await startManualBackup(pool, runner, req.principal.tenantId, req.params.policyId, req.query.type), '/v1/backups')),
  );
  app.get('/policies/:policyId/backups', { schema: { summary: "The policy's backups, newest first", tags: ['backups'], params: PolicyParams, querystring: PageQuery({ limit: 100, maxLimit: 500 }), response: { 200: PageOf(Backup) } } }, async (req) =>
    backupsOf(pool, req.principal.tenantId, req.params.policyId, req.query),
  );
  app.get('/backups/:backupId', { schema: { summary: 'One backup with its progress', tags: ['backups'], params: BackupParams, response: { 200: Backup } } }, async (req) => oneBackup(pool, req.principal.tenantId, req.params.backupId));

  app.post('/backups/:backupId/verifications', { schema: { summary: 'Verify a backup by restoring it (202 with a link to poll)', tags: ['verifications'], params: BackupParams, response: { 202: Accepted } } }, async (req, reply) =>
    reply.status(202).send(running(await startManualVerification(pool, runner, req.principal.tenantId, req.params.backupId), '/v1/verifications')),
  );
  app.get('/policies/:policyId/verifications', { schema: { summary: "The policy's verifications and drills, newest first", tags: ['verifications'], params: PolicyParams, querystring: PageQuery({ limit: 100, maxLimit: 500 }), response: { 200: PageOf(Verification) } } }, async (req) =>
    verificationsOf(pool, req.principal.tenantId, req.params.policyId, req.query),
  );
  app.get('/verifications/:verificationId', { schema: { summary: 'One verification with its checks', tags: ['verifications'], params: VerificationParams, response: { 200: Verification } } }, async (req) =>
    oneVerification(pool, req.principal.tenantId, req.params.verificationId),
  );

  app.post('/policies/:policyId/drills', { schema: { summary: 'Start a restore drill of the latest backup (202 with a link to poll)', tags: ['drills'], params: PolicyParams, querystring: DrillQuery, response: { 202: Accepted } } }, async (req, reply) =>
    reply.status(202).send(running(await startManualDrill(pool, runner, req.principal.tenantId, req.params.policyId, req.query.targetTime), '/v1/verifications')),
  );
  app.get('/policies/:policyId/drills', { schema: { summary: "The policy's drills, newest first", tags: ['drills'], params: PolicyParams, querystring: PageQuery({ limit: 100, maxLimit: 500 }), response: { 200: PageOf(Verification) } } }, async (req) =>
    verificationsOf(pool, req.principal.tenantId, req.params.policyId, req.query, 'drill'),
  );
};
