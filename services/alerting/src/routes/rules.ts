// Rules API: the tenant's rules plus the shipped builtins (read-only).
import { Type } from '@sinclair/typebox';
import { PageOf, PageQuery, problemResponse } from '@vigil/service-kit';
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
const RuleWithStatus = Type.Composite([
  Rule,
  Type.Object({
    state: Type.Union([Type.Literal('firing'), Type.Literal('pending'), Type.Literal('inactive'), Type.Literal('disabled')]),
    openAlerts: Type.Integer(),
    lastEvaluatedAt: Type.Union([Type.String(), Type.Null()], { description: 'When a sample or event last reached the rule' }),
    lastValue: Type.Union([Type.Number(), Type.Null()], { description: 'Threshold rules: the last sample value' }),
    lastSeries: Type.Record(Type.String(), Type.String(), { description: 'The labels of that sample or event' }),
  }),
]);
// The body is checked by the domain's validateRule, so that a malformed rule gets one precise message.
const RuleBody = Type.Object({ enabled: Type.Optional(Type.Boolean()) }, { additionalProperties: true, description: 'A threshold or event rule; see README' });

export const ruleRoutes: FastifyPluginAsyncTypebox<{ deps: AlertingDeps }> = async (app, { deps }) => {
  app.get(
    '/rules',
    {
      schema: {
        tags: ['rules'],
        summary: 'The tenant’s rules and the builtins, each with its state, last evaluation and value',
        querystring: PageQuery({ limit: 100, maxLimit: 1000 }),
        response: { 200: PageOf(RuleWithStatus) },
      },
    },
    async (req) => rulesOf(deps, req.principal.tenantId, req.query),
  );

  app.get('/rules/:ruleId', { schema: { summary: 'One rule, with its state, last evaluation and current value', tags: ['rules'], params: RuleParams, response: { 200: RuleWithStatus } } }, async (req) => ruleById(deps, req.principal.tenantId, req.params.ruleId));

  app.post('/rules', { schema: { summary: 'Create a threshold or event rule', tags: ['rules'], body: RuleBody, response: { 201: Rule, 409: problemResponse('Conflict: a rule of that name exists') } } }, async (req, reply) =>
    reply.status(201).send(await createRule(deps, req.principal.tenantId, req.body)),
  );

  app.put('/rules/:ruleId', { schema: { summary: 'Replace a rule', tags: ['rules'], params: RuleParams, body: RuleBody, response: { 200: Rule, 409: problemResponse('Conflict: a rule of that name exists') } } }, async (req) =>
    replaceRule(deps, req.principal.tenantId, req.params.ruleId, req.body),
  );

  app.delete('/rules/:ruleId', { schema: { summary: 'Delete a rule (builtins cannot be deleted)', tags: ['rules'], params: RuleParams } }, async (req, reply) => {
    await removeRule(deps, req.principal.tenantId, req.params.ruleId);
    return reply.status(204).send();
  });
};
