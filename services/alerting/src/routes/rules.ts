// Rules API: the tenant's rules plus the shipped builtins (read-only).
import { Type } from '@sinclair/typebox';
import { PageOf, PageQuery } from '@vigil/service-kit';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AlertingDeps } from '../operations/deps.js';
import { createRule, removeRule, replaceRule, ruleById, rulesOf } from '../operations/rules.js';
import { RuleParams } from './schemas.js';

const Rule = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  spec: Type.Unknown(),
  enabled: Type.Boolean(),
  builtin: Type.Boolean(),
  updatedAt: Type.String(),
});
// The body is checked by the domain's validateRule, so that a malformed rule gets one precise message.
const RuleBody = Type.Object({ enabled: Type.Optional(Type.Boolean()) }, { additionalProperties: true, description: 'A threshold or event rule; see README' });

export const ruleRoutes: FastifyPluginAsyncTypebox<{ deps: AlertingDeps }> = async (app, { deps }) => {
  app.get('/rules', { schema: { summary: "The tenant's rules, then the builtins (read-only)", tags: ['rules'], querystring: PageQuery({ limit: 100, maxLimit: 1000 }), response: { 200: PageOf(Rule) } } }, async (req) => rulesOf(deps, req.principal.tenantId, req.query));

  app.get('/rules/:ruleId', { schema: { summary: 'One rule', tags: ['rules'], params: RuleParams, response: { 200: Rule } } }, async (req) => ruleById(deps, req.principal.tenantId, req.params.ruleId));

  app.post('/rules', { schema: { summary: 'Create a threshold or event rule', tags: ['rules'], body: RuleBody, response: { 201: Rule } } }, async (req, reply) =>
    reply.status(201).send(await createRule(deps, req.principal.tenantId, req.body)),
  );

  app.put('/rules/:ruleId', { schema: { summary: 'Replace a rule', tags: ['rules'], params: RuleParams, body: RuleBody, response: { 200: Rule } } }, async (req) =>
    replaceRule(deps, req.principal.tenantId, req.params.ruleId, req.body),
  );

  app.delete('/rules/:ruleId', { schema: { summary: 'Delete a rule (builtins cannot be deleted)', tags: ['rules'], params: RuleParams } }, async (req, reply) => {
    await removeRule(deps, req.principal.tenantId, req.params.ruleId);
    return reply.status(204).send();
  });
};
