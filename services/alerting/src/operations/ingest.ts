// Alerts and events arriving over HTTP: Alertmanager's v2 API and the generic event API.
import { toActions, type PostableAlert } from '../domain/am-alerts.js';
import type { Signal } from '../domain/rules.js';
import { alertsInvalid, checked } from '../errors.js';
import type { AlertingDeps } from './deps.js';
import { evaluateSignal } from './evaluate.js';
import { fireMany, resolve } from './lifecycle.js';
import { inTransaction } from './transaction.js';

export async function receiveAlertmanagerAlerts(deps: AlertingDeps, tenantId: string, posted: PostableAlert[]): Promise<void> {
  const actions = checked(() => toActions(posted, new Date(), deps.resolveTimeoutMs), alertsInvalid);
  await inTransaction(deps.pool, async (tx) => {
    const firing = actions.flatMap((a) => (a.action === 'fire' ? [{ draft: a.alert, source: 'alertmanager-api', startsAt: a.startsAt }] : []));
    await fireMany(tx, deps.lifecycle, tenantId, firing);
    for (const a of actions) if (a.action === 'resolve') await resolve(tx, deps.lifecycle, tenantId, a.fingerprint, 'alertmanager-api', a.at);
  });
}

export interface PostedEvent {
  type: string;
  labels: Record<string, string>;
  attributes?: Record<string, string>;
  annotations?: Record<string, string>;
  occurredAt?: string;
}

/** Evaluates a generic event against the tenant's event rules; returns how many matched. */
export function receiveEvent(deps: AlertingDeps, tenantId: string, e: PostedEvent): Promise<number> {
  const signal: Signal = { type: e.type, labels: e.labels, attrs: e.attributes ?? {}, annotations: e.annotations ?? {}, at: e.occurredAt ? new Date(e.occurredAt) : new Date() };
  return inTransaction(deps.pool, (tx) => evaluateSignal(tx, deps.lifecycle, tenantId, signal, 'events-api'));
}
