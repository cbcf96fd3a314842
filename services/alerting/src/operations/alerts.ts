// Alerts as the API sees them: list, read, history, and the two transitions people make.
import { withTransaction } from '@vigil/service-kit';
import { getAlert, listAlerts, listHistory, type AlertRow, type AlertState, type HistoryEntry } from '../db/alerts.js';
import { parseLabelFilter } from '../domain/labels.js';
import { alertNotFound, checked, matcherInvalid, saturatedAsBusy, transitionInvalid } from '../errors.js';
import type { AlertingDeps } from './deps.js';
import { acknowledge, resolve } from './lifecycle.js';

export interface AlertQuery {
  state?: AlertState;
  label?: string[];
  limit: number;
}

export function findAlerts(deps: AlertingDeps, tenantId: string, q: AlertQuery): Promise<AlertRow[]> {
  const labels = checked(() => parseLabelFilter(q.label), matcherInvalid);
  return listAlerts(deps.pool, tenantId, { state: q.state, labels, limit: q.limit });
}

export async function alertById(deps: AlertingDeps, tenantId: string, id: string): Promise<AlertRow> {
  return (await getAlert(deps.pool, tenantId, id)) ?? Promise.reject(alertNotFound(id));
}

export async function alertHistory(deps: AlertingDeps, tenantId: string, id: string): Promise<HistoryEntry[]> {
  if (!(await getAlert(deps.pool, tenantId, id))) throw alertNotFound(id);
  return listHistory(deps.pool, tenantId, id, 1000);
}

export function tenantHistory(deps: AlertingDeps, tenantId: string, limit: number): Promise<HistoryEntry[]> {
  return listHistory(deps.pool, tenantId, undefined, limit);
}

export async function acknowledgeAlert(deps: AlertingDeps, tenantId: string, id: string, actor: string, note?: string): Promise<AlertRow> {
  const alert = await withTransaction(deps.pool, (tx) => acknowledge(tx, deps.lifecycle, tenantId, id, actor, note)).catch(saturatedAsBusy);
  return alert ?? Promise.reject(alertNotFound(id));
}

export function resolveAlert(deps: AlertingDeps, tenantId: string, id: string, actor: string, note?: string): Promise<AlertRow> {
  return withTransaction(deps.pool, async (tx) => {
    const current = await getAlert(tx, tenantId, id);
    if (!current) throw alertNotFound(id);
    if (current.state === 'resolved') throw transitionInvalid(`alert ${id} is already resolved`);
    return (await resolve(tx, deps.lifecycle, tenantId, current.fingerprint, actor, new Date(), note))!;
  }).catch(saturatedAsBusy);
}
