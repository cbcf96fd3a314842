// Alerts as the API sees them: list, read, history, and the two transitions people make.
import { cursorInvalid, decodeCursor, withTransaction, type Page, type PageRequest } from '@vigil/service-kit';
import { getAlert, listAlerts, listHistory, type AlertRow, type AlertState, type HistoryEntry } from '../db/alerts.js';
import { parseLabelFilter } from '../domain/labels.js';
import { alertNotFound, checked, matcherInvalid, saturatedAsBusy, transitionInvalid } from '../errors.js';
import type { AlertingDeps } from './deps.js';
import { acknowledge, resolve } from './lifecycle.js';

export interface AlertQuery extends PageRequest {
  state?: AlertState;
  label?: string[];
}

export function findAlerts(deps: AlertingDeps, tenantId: string, q: AlertQuery): Promise<Page<AlertRow>> {
  const labels = checked(() => parseLabelFilter(q.label), matcherInvalid);
  return listAlerts(deps.pool, tenantId, { state: q.state, labels, limit: q.limit, after: decodeCursor(q.cursor, 2) });
}

/** History cursors carry the entry id. */
const historyAfter = (cursor: string | undefined): number | undefined => {
  const key = decodeCursor(cursor, 1);
  if (key && !Number.isSafeInteger(key[0])) throw cursorInvalid();
  return key?.[0] as number | undefined;
};

export async function alertById(deps: AlertingDeps, tenantId: string, id: string): Promise<AlertRow> {
  return (await getAlert(deps.pool, tenantId, id)) ?? Promise.reject(alertNotFound(id));
}

export async function alertHistory(deps: AlertingDeps, tenantId: string, id: string, page: PageRequest): Promise<Page<HistoryEntry>> {
  if (!(await getAlert(deps.pool, tenantId, id))) throw alertNotFound(id);
  return listHistory(deps.pool, tenantId, id, page.limit, historyAfter(page.cursor));
}

export function tenantHistory(deps: AlertingDeps, tenantId: string, page: PageRequest): Promise<Page<HistoryEntry>> {
  return listHistory(deps.pool, tenantId, undefined, page.limit, historyAfter(page.cursor));
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
