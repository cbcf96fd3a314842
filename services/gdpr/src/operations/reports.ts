// Per-subject privacy dashboard and per-organisation compliance report.
import type { Pool } from 'pg';
import { subjectRef } from '@vigil/privacy';
import { consentHistory, consentRates, currentConsents } from '../db/consents.js';
import { listDataHolders } from '../db/data-holders.js';
import { breachStats, overdueRequests, requestStats } from '../db/reports.js';
import { listReceipts, listRequests } from '../db/requests.js';
import { withTransaction } from '@vigil/service-kit';
import { asTenant } from './tenant-scope.js';
import { verifyChain, type AuditDeps } from './audit.js';
import { viewOf } from '../domain/requests.js';

export async function subjectDashboard(pool: Pool, key: string, tenantId: string, subjectId: string) {
  const ref = subjectRef(key, tenantId, subjectId);
  return withTransaction(pool, async (tx) => {
    const requests = await listRequests(tx, { subjectRef: ref, limit: 200 });
    const holders = await listDataHolders(tx);
    // What each service last reported for this subject (from the newest receipts).
    const reported = new Map<string, { requestId: string; tables: unknown; at: string }>();
    for (const r of requests) {
      for (const x of await listReceipts(tx, r.id)) if (!reported.has(x.service)) reported.set(x.service, { requestId: r.id, tables: x.tables, at: x.receivedAt });
    }
    return {
      subjectRef: ref,
      consents: { current: await currentConsents(tx, ref), history: await consentHistory(tx, tenantId, ref) },
      requests: requests.map(viewOf),
      dataHeldPerService: holders.map((h) => ({
        service: h.service,
        categories: h.categories.map((c) => ({ category: c.category, description: c.description })),
        lastReported: reported.get(h.service) ?? null,
      })),
    };
  }, asTenant(tenantId));
}

export async function complianceReport(deps: AuditDeps, tenantId: string, now = new Date()) {
  const body = await withTransaction(deps.pool, async (tx) => {
    const rates = await consentRates(tx);
    const stats = await requestStats(tx, now);
    const completed = stats.filter((s) => s.state === 'completed');
    const done = completed.reduce((a, s) => a + s.count, 0);
    return {
      consent: rates.map((r) => ({ ...r, rate: r.subjects ? r.granted / r.subjects : 0 })),
      requests: {
        byKindAndState: stats,
        total: stats.reduce((a, s) => a + s.count, 0),
        completed: done,
        completedOnTimeRate: done ? completed.reduce((a, s) => a + s.onTime, 0) / done : null,
        overdue: await overdueRequests(tx, now),
      },
      breaches: await breachStats(tx, now),
    };
  }, asTenant(tenantId));
  const chain = await verifyChain(deps, tenantId);
  return { tenantId, generatedAt: now.toISOString(), ...body, auditChain: { valid: chain.valid, entries: chain.entries, checkpoints: chain.checkpoints, firstBroken: chain.firstBroken } };
}
