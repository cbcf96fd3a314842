// A tenant's routing document and receivers written as the Alertmanager configuration that routes
// the same way (what /api/v2/status reports as config.original; `amtool check-config` accepts it).
import { Document } from 'yaml';
import type { ReceiverConfig } from './receivers.js';
import type { RouteSpec, RoutingConfig } from './routing.js';

/** Stands in for "no receiver": alerts routed only here are not notified, as in Vigil. */
export const DISCARD_RECEIVER = 'vigil-discard';
const SECRET = '<secret>';

function amRoute(r: RouteSpec, escalations: string[], path: string): Record<string, unknown> {
  if (r.escalation) escalations.push(`${path}: escalation policy ${JSON.stringify(r.escalation)}`);
  return {
    ...(r.receiver ? { receiver: r.receiver } : {}),
    ...(r.group_by ? { group_by: r.group_by } : {}),
    ...(r.matchers?.length ? { matchers: r.matchers } : {}),
    continue: r.continue ?? false,
    ...(r.routes?.length ? { routes: r.routes.map((c, i) => amRoute(c, escalations, `${path}.routes[${i}]`)) } : {}),
    ...(r.group_wait ? { group_wait: r.group_wait } : {}),
    ...(r.group_interval ? { group_interval: r.group_interval } : {}),
    ...(r.repeat_interval ? { repeat_interval: r.repeat_interval } : {}),
  };
}

function amReceiver(name: string, c: ReceiverConfig): Record<string, unknown> {
  switch (c.kind) {
    case 'webhook':
      return { name, webhook_configs: [{ send_resolved: true, url: c.url }] };
    case 'slack':
      return { name, slack_configs: [{ send_resolved: true, api_url: SECRET, ...(c.channel ? { channel: c.channel } : {}) }] };
    case 'pagerduty':
      return { name, pagerduty_configs: [{ send_resolved: true, routing_key: SECRET, ...(c.url ? { url: c.url } : {}) }] };
  }
}

const asDuration = (ms: number) => (ms % 60_000 === 0 ? `${ms / 60_000}m` : ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`);

export function alertmanagerConfig(tenantId: string, routing: RoutingConfig, receivers: { name: string; config: ReceiverConfig }[], resolveTimeoutMs: number): string {
  const escalations: string[] = [];
  const route = amRoute(routing.route, escalations, 'route');
  const needsDiscard = !routing.route.receiver;
  if (needsDiscard) route.receiver = DISCARD_RECEIVER;
  const doc = new Document({
    global: { resolve_timeout: asDuration(resolveTimeoutMs) },
    route: { receiver: route.receiver, ...route },
    inhibit_rules: routing.inhibit_rules,
    receivers: [...(needsDiscard ? [{ name: DISCARD_RECEIVER }] : []), ...receivers.map((r) => amReceiver(r.name, r.config))],
  });
  const notes = [
    ` Vigil alerting, tenant ${tenantId}: its routing (GET/PUT /v1/routing) and receivers (/v1/receivers) as the`,
    ' Alertmanager configuration that routes, groups and inhibits the same way. Secrets are shown as <secret>.',
    ' Vigil-only, not expressible here: webhook bodies are signed (X-Vigil-Signature-256), PagerDuty',
    ' notifications acknowledge when every alert of the group is acknowledged, and',
    ...(needsDiscard ? [` the root route has no receiver (alerts that reach only ${DISCARD_RECEIVER} are not notified);`] : []),
    ...(escalations.length ? [' escalations:', ...escalations.map((e) => `   ${e}`)] : [' no route starts an escalation policy.']),
  ];
  doc.commentBefore = notes.join('\n');
  return doc.toString({ lineWidth: 0 });
}

