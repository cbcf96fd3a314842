// The Alertmanager v2 API's reads over Vigil's model: open alerts with their receivers (from the
// routing tree) and status (silences and inhibition evaluated now), aggregation groups, receivers,
// and the status document (the tenant's routing as an Alertmanager configuration).
import { openAlerts, type AlertRow } from '../db/alerts.js';
import { listReceivers } from '../db/config.js';
import { openGroups } from '../db/groups.js';
import { liveSilences } from '../db/silences.js';
import { keepAlert, parseFilter, parseReceiverFilter, toGettableAlert, type AlertQuery, type GettableAlert } from '../domain/am-api.js';
import { alertmanagerConfig } from '../domain/am-config.js';
import { matchesAll, parseMatcher } from '../domain/labels.js';
import { inhibitedBy, matchRoutes } from '../domain/routing.js';
import { isActive } from '../domain/silences.js';
import { checked, matcherInvalid } from '../errors.js';
import type { AlertingDeps } from './deps.js';
import { routingOf } from './routing-config.js';

/** The API has no paging: a tenant's open alerts are read up to this many. */
export const OPEN_ALERTS_LIMIT = 10_000;

export interface AlertParams {
  filter?: string[];
  active: boolean;
  silenced: boolean;
  inhibited: boolean;
  unprocessed: boolean;
  receiver?: string;
}

function query(p: AlertParams): AlertQuery {
  return checked(() => ({ ...p, filter: parseFilter(p.filter), receiver: parseReceiverFilter(p.receiver) }), matcherInvalid);
}

/** Open alerts as GettableAlerts; an alert whose endsAt has passed is no longer listed (its expiry is due). */
async function gettableAlerts(deps: AlertingDeps, tenantId: string): Promise<Map<string, GettableAlert>> {
  const now = new Date();
  const [rows, silences, routing] = await Promise.all([
    openAlerts(deps.pool, tenantId, OPEN_ALERTS_LIMIT),
    liveSilences(deps.pool, tenantId),
    deps.lifecycle.routing.get(tenantId, deps.pool),
  ]);
  const live = rows.filter((a) => !a.endsAt || Date.parse(a.endsAt) > now.getTime());
  const active = silences.filter((s) => isActive(s, now)).map((s) => ({ id: s.id, matchers: s.matchers.map(parseMatcher) }));
  const inhibitors = inhibitedBy(live, routing.inhibitRules);
  const out = new Map<string, GettableAlert>();
  for (const a of live) {
    const receivers = matchRoutes(routing.root, a.labels).map((m) => m.receiver);
    const silencedBy = active.filter((s) => matchesAll(s.matchers, a.labels)).map((s) => s.id);
    out.set(a.id, toGettableAlert(a, receivers, silencedBy, inhibitors.get(a.fingerprint) ?? []));
  }
  return out;
}

export async function listAmAlerts(deps: AlertingDeps, tenantId: string, p: AlertParams): Promise<GettableAlert[]> {
  const q = query(p);
  const all = await gettableAlerts(deps, tenantId);
  return [...all.values()].filter((a) => keepAlert(a, q));
}

export interface AmAlertGroup {
  labels: Record<string, string>;
  receiver: { name: string };
  alerts: GettableAlert[];
}

export async function listAmGroups(deps: AlertingDeps, tenantId: string, p: AlertParams): Promise<AmAlertGroup[]> {
  const q = query(p);
  const [all, groups] = await Promise.all([gettableAlerts(deps, tenantId), openGroups(deps.pool, tenantId)]);
  const out: AmAlertGroup[] = [];
  for (const g of groups) {
    if (q.receiver && !q.receiver.test(g.receiver)) continue;
    const alerts = g.alerts
      .map((a: AlertRow) => all.get(a.id))
      .filter((a): a is GettableAlert => !!a && keepAlert(a, { ...q, receiver: undefined }));
    if (alerts.length) out.push({ labels: g.groupLabels, receiver: { name: g.receiver }, alerts });
  }
  return out;
}

export async function listAmReceivers(deps: AlertingDeps, tenantId: string): Promise<{ name: string }[]> {
  return (await listReceivers(deps.pool, tenantId)).map((r) => ({ name: r.name }));
}

export interface AmStatus {
  cluster: { status: 'disabled'; peers: [] };
  config: { original: string };
  uptime: string;
  versionInfo: { branch: string; buildDate: string; buildUser: string; goVersion: string; revision: string; version: string };
}

export async function amStatus(deps: AlertingDeps, tenantId: string): Promise<AmStatus> {
  const [routing, receivers] = await Promise.all([routingOf(deps, tenantId), listReceivers(deps.pool, tenantId)]);
  return {
    // No gossip mesh: replicas share state through PostgreSQL, so Alertmanager's clustering is off.
    cluster: { status: 'disabled', peers: [] },
    config: { original: alertmanagerConfig(tenantId, routing, receivers, deps.resolveTimeoutMs) },
    uptime: deps.startedAt.toISOString(),
    versionInfo: { branch: 'unknown', buildDate: 'unknown', buildUser: 'vigil', goVersion: `none (Vigil alerting on Node.js ${process.version})`, revision: 'unknown', version: deps.version },
  };
}
