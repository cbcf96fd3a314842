// What the console's alert screens read beyond the alert itself: its deliveries, where it stands in
// its escalation, and the 24-hour firing strips of the grid.
import { firingStrips, getAlert, type FiringStrip } from '../db/alerts.js';
import { getPolicy } from '../db/config.js';
import { escalationsOf } from '../db/escalations.js';
import { deliveriesOfAlert, type AlertDelivery } from '../db/notifications.js';
import { decodeCursor, encodeCursor, type Page, type PageRequest } from '@vigil/service-kit';
import { alertNotFound } from '../errors.js';
import type { AlertingDeps } from './deps.js';

async function requireAlert(deps: AlertingDeps, tenantId: string, alertId: string) {
  const alert = await getAlert(deps.pool, tenantId, alertId);
  if (!alert) throw alertNotFound(alertId);
  return alert;
}

export async function alertDeliveries(deps: AlertingDeps, tenantId: string, alertId: string, q: PageRequest): Promise<Page<AlertDelivery>> {
  await requireAlert(deps, tenantId, alertId);
  const key = decodeCursor(q.cursor, 2);
  const after = key ? { createdAt: String(key[0]), id: String(key[1]) } : undefined;
  const items = await deliveriesOfAlert(deps.pool, alertId, after, q.limit + 1);
  const page = items.slice(0, q.limit);
  const last = page[page.length - 1];
  return { items: page.map(({ cursorAt: _, ...d }) => d), nextCursor: items.length > q.limit && last ? encodeCursor([last.cursorAt, last.id]) : null };
}

export interface EscalationPosition {
  policy: string;
  /** 0-based index of the step that is due next. */
  step: number;
  round: number;
  nextAt: string;
  steps: { afterMinutes: number; receiver: string }[];
  repeat: number;
}

export async function alertEscalation(deps: AlertingDeps, tenantId: string, alertId: string): Promise<Page<EscalationPosition>> {
  await requireAlert(deps, tenantId, alertId);
  const rows = await escalationsOf(deps.pool, alertId);
  const items: EscalationPosition[] = [];
  for (const r of rows) {
    const policy = await getPolicy(deps.pool, tenantId, r.policy);
    items.push({ policy: r.policy, step: r.step, round: r.round, nextAt: r.nextAt, steps: policy?.steps ?? [], repeat: policy?.repeat ?? 0 });
  }
  return { items, nextCursor: null };
}

const DAY_MS = 86_400_000;
const STRIP_LIMIT = 5000;

export async function alertStrips(deps: AlertingDeps, tenantId: string, q: { fingerprint?: string[]; hours: number }): Promise<{ items: FiringStrip[]; nextCursor: null; from: string; to: string }> {
  const to = new Date();
  const from = new Date(to.getTime() - (q.hours / 24) * DAY_MS);
  const items = await firingStrips(deps.pool, tenantId, from, q.fingerprint?.length ? q.fingerprint : undefined, STRIP_LIMIT);
  return { items, nextCursor: null, from: from.toISOString(), to: to.toISOString() };
}
