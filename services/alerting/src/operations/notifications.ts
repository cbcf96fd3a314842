// The delivery queue as the API shows it (bodies and URLs stay inside: they hold secrets).
import { listNotifications, type NotificationRow } from '../db/notifications.js';
import type { AlertingDeps } from './deps.js';

export type QueueEntry = Omit<NotificationRow, 'url' | 'body' | 'headers' | 'targetKey' | 'tenantId'>;

export async function notificationQueue(deps: AlertingDeps, tenantId: string, state: NotificationRow['state'] | undefined, limit: number): Promise<QueueEntry[]> {
  return (await listNotifications(deps.pool, tenantId, state, limit)).map(({ url: _u, body: _b, headers: _h, targetKey: _t, tenantId: _tenant, ...entry }) => entry);
}
