// Privacy dashboard per subject and compliance report per organisation.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AuditDeps } from '../operations/audit.js';
import { complianceReport, subjectDashboard } from '../operations/reports.js';

export const reportRoutes: FastifyPluginAsyncTypebox<{ deps: AuditDeps }> = async (app, { deps }) => {
  app.get(
    '/subjects/:subjectId/dashboard',
    { schema: { summary: "A subject's privacy dashboard: consents, requests, holds", tags: ['reports'], params: Type.Object({ subjectId: Type.String({ minLength: 1, maxLength: 500 }) }) } },
    async (req) => subjectDashboard(deps.pool, deps.pseudonymKey, req.principal.tenantId, req.params.subjectId),
  );
  app.get('/compliance-report', { schema: { summary: "The organisation's compliance report", tags: ['reports'] } }, async (req) => complianceReport(deps, req.principal.tenantId));
};
