// A tenant's receivers (secrets never leave), and test notifications through the real queue.
import { randomUUID } from 'node:crypto';
import { pageInMemory, type Page, type PageRequest } from '@vigil/service-kit';
import { deleteReceiver, getReceiver, listReceivers, putReceiver } from '../db/config.js';
import { enqueueNotification } from '../db/notifications.js';
import { fingerprint } from '../domain/labels.js';
import { renderRequest, type GroupNotice } from '../domain/notify-formats.js';
import { redactReceiver, type ReceiverConfig } from '../domain/receivers.js';
import { receiverNotFound } from '../errors.js';
import type { AlertingDeps } from './deps.js';

export async function receiversOf(deps: AlertingDeps, tenantId: string, page: PageRequest): Promise<Page<{ name: string; config: Record<string, unknown> }>> {
  const all = (await listReceivers(deps.pool, tenantId)).map((r) => ({ name: r.name, config: redactReceiver(r.config) }));
  return pageInMemory(all, page, (r) => [r.name], ['asc']);
}

export function saveReceiver(deps: AlertingDeps, tenantId: string, name: string, config: ReceiverConfig): Promise<void> {
  return putReceiver(deps.pool, tenantId, name, config);
}

export async function removeReceiver(deps: AlertingDeps, tenantId: string, name: string): Promise<void> {
  if (!(await deleteReceiver(deps.pool, tenantId, name))) throw receiverNotFound(name);
}

/** Queues a test notification to the receiver; returns its idempotency key. */
export async function sendTestNotification(deps: AlertingDeps, tenantId: string, name: string): Promise<string> {
  const receiver = await getReceiver(deps.pool, tenantId, name);
  if (!receiver) throw receiverNotFound(name);
  const labels = { alertname: 'VigilTestNotification', severity: 'info', receiver: name };
  const now = new Date().toISOString();
  const key = randomUUID();
  const notice: GroupNotice = {
    tenantId, receiver: name, groupKey: `test:${key}`, groupLabels: { alertname: labels.alertname }, externalUrl: deps.externalUrl,
    alerts: [{ fingerprint: fingerprint(labels), status: 'firing', acknowledged: false, severity: 'info', labels, annotations: { summary: 'Test notification from Vigil' }, startsAt: now, endsAt: null, generatorUrl: null }],
  };
  await enqueueNotification(deps.pool, { tenantId, receiver: name, kind: receiver.kind, idempotencyKey: key, ...renderRequest(notice, receiver, key) });
  deps.wakeDelivery();
  return key;
}
