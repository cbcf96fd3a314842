// Alerts past their endsAt (Alertmanager clients without endsAt, event rules with resolveAfter) resolve,
// a batch per transaction, one multi-row resolve per tenant.
import { withTransaction } from '@vigil/service-kit';
import { expiredAlerts } from '../db/alerts.js';
import type { DispatchDeps } from './deps.js';
import { resolveMany } from './lifecycle.js';

const BATCH = 500;

export async function resolveExpired(deps: DispatchDeps): Promise<number> {
  return withTransaction(deps.pool, async (tx) => {
    const due = await expiredAlerts(tx, BATCH);
    const byTenant = new Map<string, { fingerprint: string; at: Date }[]>();
    for (const a of due) {
      const list = byTenant.get(a.tenantId) ?? [];
      list.push({ fingerprint: a.fingerprint, at: a.endsAt });
      byTenant.set(a.tenantId, list);
    }
    for (const [tenantId, items] of byTenant) await resolveMany(tx, deps.lifecycle, tenantId, items, 'expiry', 'endsAt passed');
    return due.length;
  });
}
