// A tenant's routing document (route tree + inhibition) and escalation policies; both are
// checked against the receivers that exist when they are stored.
import { pageInMemory, type Page, type PageRequest } from '@vigil/service-kit';
import { getRouting, listPolicies, listReceivers, putPolicy, putRouting, type EscalationPolicy } from '../db/config.js';
import { compileRoute, DEFAULT_ROUTING, validateInhibitRules, type RoutingConfig } from '../domain/routing.js';
import { checked, routingInvalid } from '../errors.js';
import type { AlertingDeps } from './deps.js';

export async function routingOf(deps: AlertingDeps, tenantId: string): Promise<RoutingConfig> {
  return (await getRouting(deps.pool, tenantId)) ?? DEFAULT_ROUTING;
}

export async function saveRouting(deps: AlertingDeps, tenantId: string, doc: RoutingConfig): Promise<void> {
  const [receivers, policies] = await Promise.all([listReceivers(deps.pool, tenantId), listPolicies(deps.pool, tenantId)]);
  checked(() => {
    compileRoute(doc.route, new Set(receivers.map((r) => r.name)), new Set(policies.map((p) => p.name)));
    validateInhibitRules(doc.inhibit_rules);
  }, routingInvalid);
  await putRouting(deps.pool, tenantId, doc);
  deps.lifecycle.routing.invalidate(tenantId);
}

export async function policiesOf(deps: AlertingDeps, tenantId: string, page: PageRequest): Promise<Page<EscalationPolicy>> {
  return pageInMemory(await listPolicies(deps.pool, tenantId), page, (p) => [p.name], ['asc']);
}

export async function savePolicy(deps: AlertingDeps, tenantId: string, policy: EscalationPolicy): Promise<void> {
  const known = new Set((await listReceivers(deps.pool, tenantId)).map((r) => r.name));
  const missing = policy.steps.find((s) => !known.has(s.receiver));
  if (missing) throw routingInvalid(`steps: no receiver named ${JSON.stringify(missing.receiver)}`);
  await putPolicy(deps.pool, tenantId, policy);
  deps.lifecycle.routing.invalidate(tenantId);
}
