// The rules API's use cases: the tenant's rules plus the shipped builtins, which are read-only.
import { pageInMemory, type Page, type PageRequest } from '@vigil/service-kit';
import { deleteRule, getRule, insertRule, listRules, syncBuiltinRules, updateRule, type RuleRow } from '../db/rules.js';
import { defaultRules } from '../domain/default-rules.js';
import { assertEditable, RuleReadOnly, ruleFromBody } from '../domain/rules.js';
import { checked, ruleBuiltin, ruleExists, ruleInvalid, ruleNotFound } from '../errors.js';
import type { AlertingDeps } from './deps.js';

/** At boot: the shipped defaults are stored (and refreshed) under the builtin tenant. */
export function installBuiltinRules(deps: Pick<AlertingDeps, 'pool'>, healthScoreFloor: number): Promise<void> {
  return syncBuiltinRules(deps.pool, defaultRules(healthScoreFloor));
}

/** The tenant's own rules first, then the builtins; by name within each. */
export async function rulesOf(deps: AlertingDeps, tenantId: string, page: PageRequest): Promise<Page<RuleRow>> {
  return pageInMemory(await listRules(deps.pool, tenantId), page, (r) => [r.builtin, r.name, r.id], ['asc', 'asc', 'asc']);
}

export async function ruleById(deps: AlertingDeps, tenantId: string, id: string): Promise<RuleRow> {
  return (await getRule(deps.pool, tenantId, id)) ?? Promise.reject(ruleNotFound(id));
}

export async function createRule(deps: AlertingDeps, tenantId: string, body: Record<string, unknown>): Promise<RuleRow> {
  const { spec, enabled } = checked(() => ruleFromBody(body), ruleInvalid);
  return (await insertRule(deps.pool, tenantId, spec, enabled)) ?? Promise.reject(ruleExists(spec.name));
}

export async function replaceRule(deps: AlertingDeps, tenantId: string, id: string, body: Record<string, unknown>): Promise<RuleRow> {
  const { spec, enabled } = checked(() => ruleFromBody(body), ruleInvalid);
  try {
    assertEditable(await getRule(deps.pool, tenantId, id));
  } catch (err) {
    throw err instanceof RuleReadOnly ? ruleBuiltin(err.message) : err;
  }
  return (await updateRule(deps.pool, tenantId, id, spec, enabled)) ?? Promise.reject(ruleNotFound(id));
}

export async function removeRule(deps: AlertingDeps, tenantId: string, id: string): Promise<void> {
  if (!(await deleteRule(deps.pool, tenantId, id))) throw ruleNotFound(id);
}
