// Every admin action goes to the GDPR service's hash-chained audit log as a ProcessingRecorded
// event, written to the outbox in the same transaction as the change it records.
import type pg from 'pg';
import { withTransaction } from '@vigil/service-kit';
import { ProcessingRecorded } from '@vigil/events';
import { subjectRef } from '@vigil/privacy';
import type { ConsoleDeps } from './deps.js';
import type { ActiveSession } from './sessions.js';

export type AdminActivity =
  | 'console.user.created'
  | 'console.user.role-changed'
  | 'console.user.disabled'
  | 'console.user.enabled'
  | 'console.api-key.created'
  | 'console.api-key.revoked'
  | 'console.service-change';

export async function recordAdminAction(
  deps: ConsoleDeps,
  tx: pg.PoolClient,
  actor: ActiveSession,
  activity: AdminActivity,
  o: { subjectEmail?: string; detail: Record<string, string | number | boolean> },
): Promise<void> {
  const tenantId = actor.tenantId;
  await deps.outbox.enqueue(
    tx,
    ProcessingRecorded,
    {
      service: 'console',
      activity,
      // People appear as the tenant's HMAC refs, never by email.
      ...(o.subjectEmail ? { subjectRef: subjectRef(deps.config.VIGIL_PSEUDONYM_KEY, tenantId, o.subjectEmail.toLowerCase()) } : {}),
      categories: o.subjectEmail ? ['account'] : [],
      detail: { actorUserId: actor.userId, ...o.detail },
      recordedAt: new Date().toISOString(),
    },
    { tenantId },
  );
}

/**
 * A change a person made in a service through the front door (a receiver, a project key, a
 * policy…). The service sees only the console's key; this records who it was.
 */
export async function recordServiceChange(
  deps: ConsoleDeps,
  actor: ActiveSession,
  change: { service: string; method: string; path: string; status: number },
): Promise<void> {
  await withTransaction(deps.pool, (tx) =>
    recordAdminAction(deps, tx, actor, 'console.service-change', {
      detail: { service: change.service, method: change.method, path: change.path.slice(0, 300), status: change.status, role: actor.role },
    }),
  );
}
