// Alerts and events arriving over HTTP: Alertmanager's v2 API and the generic event API.
import { withTransaction } from '@vigil/service-kit';
import { toActions, type PostableAlert } from '../domain/am-alerts.js';
import type { Signal } from '../domain/rules.js';
import { alertsInvalid, checked, saturatedAsBusy } from '../errors.js';
import type { AlertingDeps } from './deps.js';
import { evaluateSignal } from './evaluate.js';

export async function receiveAlertmanagerAlerts(deps: AlertingDeps, tenantId: string, posted: PostableAlert[]): Promise<void> {
  const actions = checked(() => toActions(posted, new Date(), deps.resolveTimeoutMs), alertsInvalid);
  // Group commit: concurrent requests share one transaction; this resolves after its commit.
  await deps.intake.submit(tenantId, actions).catch(saturatedAsBusy);
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
  return withTransaction(deps.pool, (tx) => evaluateSignal(tx, deps.lifecycle, tenantId, signal, 'events-api')).catch(saturatedAsBusy);
}
