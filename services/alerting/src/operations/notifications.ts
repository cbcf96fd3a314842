// The delivery queue as the API shows it (bodies and URLs stay inside: they hold secrets).
import { decodeCursor, type Page, type PageRequest } from '@vigil/service-kit';
import { listNotifications, type NotificationRow } from '../db/notifications.js';
import type { AlertingDeps } from './deps.js';

export type QueueEntry = Omit<NotificationRow, 'url' | 'body' | 'headers' | 'targetKey' | 'tenantId'>;

export async function notificationQueue(deps: AlertingDeps, tenantId: string, state: NotificationRow['state'] | undefined, page: PageRequest): Promise<Page<QueueEntry>> {
  const { items, nextCursor } = await listNotifications(deps.pool, tenantId, state, page.limit, decodeCursor(page.cursor, 2));
  return { nextCursor, items: items.map(({ url: _u, body: _b, headers: _h, targetKey: _t, tenantId: _tenant, ...entry }) => entry) };
}
