// Erasure exceptions (Art. 17(3)) as use cases: retention policies and legal holds per data category.
// Held data is kept and reported with its ground; when a hold ends or a retention period
// runs out, erasure runs again for what was retained (Art. 5(1)(e)), with evidence kept.
import { randomUUID } from 'node:crypto';
import { ProcessingRecorded } from '@vigil/events';
import { subjectRef } from '@vigil/privacy';
import {
  endLegalHold,
  insertLegalHold,
  insertPurgeRun,
  listLegalHolds,
  listPurgeRuns,
  listRetentionPolicies,
  requestsWithRetainedData,
  upsertRetentionPolicy,
  type LegalHoldRow,
} from '../db/holds.js';
import { getRequest, scrubClosedRequests, tenantsWithUnscrubbedClosedRequests } from '../db/requests.js';
import { decodeCursor, pageInMemory, withTransaction, type PageRequest } from '@vigil/service-kit';
import { asTenant } from './tenant-scope.js';
import { closedRequestCutoff, retentionEndsAt, type HoldInput, type PolicyInput } from '../domain/exceptions.js';
import { holdNotFound } from '../errors.js';
import { rerunErasure, rootOf, type RequestDeps } from './requests.js';

export function setRetentionPolicy(deps: RequestDeps, tenantId: string, p: PolicyInput) {
  return withTransaction(deps.pool, (tx) => upsertRetentionPolicy(tx, tenantId, { id: randomUUID(), ...p }), asTenant(tenantId));
}

export const retentionPolicies = async (deps: RequestDeps, tenantId: string, page: PageRequest) =>
  pageInMemory(await withTransaction(deps.pool, (tx) => listRetentionPolicies(tx), asTenant(tenantId)), page, (p) => [p.category], ['asc']);
export const legalHolds = async (deps: RequestDeps, tenantId: string, activeOnly: boolean, page: PageRequest) =>
  pageInMemory(await withTransaction(deps.pool, (tx) => listLegalHolds(tx, activeOnly), asTenant(tenantId)), page, (h) => [h.createdAt, h.id], ['asc', 'asc']);
export const purgeRuns = (deps: RequestDeps, tenantId: string, page: PageRequest) =>
  withTransaction(deps.pool, (tx) => listPurgeRuns(tx, page.limit, decodeCursor(page.cursor, 2)), asTenant(tenantId));

export function placeLegalHold(deps: RequestDeps, tenantId: string, h: HoldInput): Promise<LegalHoldRow> {
  const ref = h.subjectId ? subjectRef(deps.pseudonymKey, tenantId, h.subjectId) : null;
  return withTransaction(deps.pool, (tx) => insertLegalHold(tx, tenantId, { id: randomUUID(), category: h.category, subjectRef: ref, ground: h.ground, reason: h.reason }), asTenant(tenantId));
}

/** Ends a hold and erases again, in the same transaction, whatever erasure requests had retained. */
export async function releaseLegalHold(deps: RequestDeps, tenantId: string, id: string): Promise<{ hold: LegalHoldRow; rerunRequests: string[] }> {
  return withTransaction(deps.pool, async (tx) => {
    const hold = await endLegalHold(tx, id);
    if (!hold) throw holdNotFound(id);
    const rerun: string[] = [];
    for (const c of await requestsWithRetainedData(tx, { holdId: hold.id })) {
      const parent = await getRequest(tx, c.requestId);
      if (!parent?.identifiers) continue;
      rerun.push((await rerunErasure(deps, tx, tenantId, parent, c.services, `hold-ended:${hold.id}`)).id);
    }
    return { hold, rerunRequests: rerun };
  }, asTenant(tenantId));
}

/**
 * Scheduled storage limitation: (1) retained data whose retention period ran out is erased
 * again; (2) raw identifiers and export data of long-closed requests are purged. Each purge
 * leaves a purge_runs row and a ProcessingRecorded entry in the audit chain as evidence.
 */
export async function runRetentionPurge(deps: RequestDeps, closedRetentionDays: number, now = new Date()): Promise<number> {
  const tenants = await withTransaction(deps.pool, (tx) => tenantsWithUnscrubbedClosedRequests(tx));
  let purged = 0;
  for (const tenantId of tenants) {
    purged += await withTransaction(deps.pool, async (tx) => {
      let n = 0;
      for (const p of await listRetentionPolicies(tx)) {
        for (const c of await requestsWithRetainedData(tx, { policyId: p.id })) {
          const parent = await getRequest(tx, c.requestId);
          if (!parent?.identifiers) continue;
          const root = await rootOf(tx, parent);
          const cutoff = retentionEndsAt(root.receivedAt, p.retentionDays);
          if (cutoff.getTime() > now.getTime()) continue;
          const rerun = await rerunErasure(deps, tx, tenantId, parent, c.services, `retention-expired:${p.category}`, now);
          await insertPurgeRun(tx, tenantId, {
            id: randomUUID(),
            category: p.category,
            cutoff: cutoff.toISOString(),
            rows: 1,
            detail: { requestId: parent.id, rerunRequestId: rerun.id, services: c.services, ground: p.ground },
          });
          n++;
        }
      }
      const cutoff = closedRequestCutoff(now, closedRetentionDays);
      const scrubbed = await scrubClosedRequests(tx, cutoff);
      if (scrubbed) {
        await insertPurgeRun(tx, tenantId, {
          id: randomUUID(),
          category: 'subject-request-data',
          cutoff: cutoff.toISOString(),
          rows: scrubbed,
          detail: { ground: 'Art. 5(1)(e)', what: 'raw identifiers and export data of closed requests' },
        });
        await deps.outbox.enqueue(
          tx,
          ProcessingRecorded,
          {
            service: 'gdpr',
            activity: 'retention-purge',
            categories: ['subject-request-data'],
            detail: { rows: scrubbed, cutoff: cutoff.toISOString(), ground: 'Art. 5(1)(e)' },
            recordedAt: now.toISOString(),
          },
          { tenantId },
        );
        n += scrubbed;
      }
      return n;
    }, asTenant(tenantId));
  }
  return purged;
}
