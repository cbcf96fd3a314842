// Alerts past their endsAt (Alertmanager clients without endsAt, event rules with resolveAfter) resolve.
import { withTransaction } from '@vigil/service-kit';
import { expiredAlerts } from '../db/alerts.js';
import type { DispatchDeps } from './deps.js';
import { resolve } from './lifecycle.js';

const BATCH = 50;

export async function resolveExpired(deps: DispatchDeps): Promise<number> {
  return withTransaction(deps.pool, async (tx) => {
    const due = await expiredAlerts(tx, BATCH);
    for (const a of due) await resolve(tx, deps.lifecycle, a.tenantId, a.fingerprint, 'expiry', a.endsAt, 'endsAt passed');
    return due.length;
  });
}
