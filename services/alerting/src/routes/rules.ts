// Rules API: the tenant's rules plus the shipped builtins (read-only).
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { conflict } from '@vigil/service-kit';
import { deleteRule, getRule, insertRule, listRules, updateRule } from '../db/rules.js';
import { InvalidInput } from '../domain/labels.js';
import { validateRule } from '../domain/rules.js';
import { ruleInvalid, ruleNotFound } from '../errors.js';
import type { AlertingDeps } from '../operations/deps.js';
import { IdParams } from './schemas.js';

const Rule = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  spec: Type.Unknown(),
  enabled: Type.Boolean(),
  builtin: Type.Boolean(),
  updatedAt: Type.String(),
});
// The body is checked by validateRule, so that a malformed rule gets one precise message.
const RuleBody = Type.Object({ enabled: Type.Optional(Type.Boolean()) }, { additionalProperties: true, description: 'A threshold or event rule; see README' });

function checked(body: Record<string, unknown>) {
  const { enabled, ...spec } = body;
  try {
    return { spec: validateRule(spec), enabled: enabled !== false };
  } catch (err) {
    throw err instanceof InvalidInput ? ruleInvalid(err.message) : err;
  }
}

export const ruleRoutes: FastifyPluginAsyncTypebox<{ deps: AlertingDeps }> = async (app, { deps }) => {
  const { pool } = deps;
  app.get('/rules', { schema: { tags: ['rules'], response: { 200: Type.Array(Rule) } } }, async (req) => listRules(pool, req.principal.tenantId));

  app.get('/rules/:id', { schema: { tags: ['rules'], params: IdParams, response: { 200: Rule } } }, async (req) => {
    return (await getRule(pool, req.principal.tenantId, req.params.id)) ?? Promise.reject(ruleNotFound(req.params.id));
  });

  app.post('/rules', { schema: { tags: ['rules'], body: RuleBody, response: { 201: Rule } } }, async (req, reply) => {
    const { spec, enabled } = checked(req.body);
    const rule = await insertRule(pool, req.principal.tenantId, spec, enabled);
    if (!rule) throw conflict('ALERTING_RULE_EXISTS', `a rule named ${spec.name} already exists`);
    return reply.status(201).send(rule);
  });

  app.put('/rules/:id', { schema: { tags: ['rules'], params: IdParams, body: RuleBody, response: { 200: Rule } } }, async (req) => {
    const { spec, enabled } = checked(req.body);
    const existing = await getRule(pool, req.principal.tenantId, req.params.id);
    if (existing?.builtin) throw conflict('ALERTING_RULE_BUILTIN', 'builtin rules are read-only; create a rule of your own');
    return (await updateRule(pool, req.principal.tenantId, req.params.id, spec, enabled)) ?? Promise.reject(ruleNotFound(req.params.id));
  });

  app.delete('/rules/:id', { schema: { tags: ['rules'], params: IdParams } }, async (req, reply) => {
    if (!(await deleteRule(pool, req.principal.tenantId, req.params.id))) throw ruleNotFound(req.params.id);
    return reply.status(204).send();
  });
};
