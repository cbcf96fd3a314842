// Consent changes: one appended row plus one ConsentChanged event, committed together
// (group-committed with concurrent writes of the same tenant, see consent-writer.ts).
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { subjectRef } from '@vigil/privacy';
import { currentConsents, pageConsentHistory, type ConsentRow } from '../db/consents.js';
import { pageInMemory, withTransaction, type Page, type PageRequest } from '@vigil/service-kit';
import { seqCursor } from './audit.js';
import { asTenant } from './tenant-scope.js';
import { consentOutcome, type ConsentInput } from '../domain/consent.js';
import type { ConsentWriter } from './consent-writer.js';

export interface ConsentDeps {
  pool: Pool;
  writer: ConsentWriter;
  pseudonymKey: string;
}

export async function recordConsent(deps: ConsentDeps, tenantId: string, input: ConsentInput): Promise<ConsentRow> {
  const ref = (v: string) => subjectRef(deps.pseudonymKey, tenantId, v);
  const { method, granted } = consentOutcome(input);
  return deps.writer.write({
    id: randomUUID(),
    tenantId,
    subjectRef: ref(input.subjectId),
    purpose: input.purpose,
    granted,
    method,
    noticeVersion: input.noticeVersion,
    channel: input.channel,
    source: input.source,
    ipRef: input.ip ? ref(input.ip) : null,
    userAgentRef: input.userAgent ? ref(input.userAgent) : null,
  });
}

/** Withdrawal is one call, as easy as giving consent (Art. 7(3)). */
export function withdrawConsent(deps: ConsentDeps, tenantId: string, subjectId: string, purpose: string, input: Pick<ConsentInput, 'noticeVersion' | 'channel' | 'source' | 'ip' | 'userAgent'>) {
  return recordConsent(deps, tenantId, { ...input, subjectId, purpose, granted: false, method: 'withdrawn' });
}

export async function subjectConsentHistory(deps: ConsentDeps, tenantId: string, subjectId: string, page: PageRequest): Promise<Page<ConsentRow>> {
  const ref = subjectRef(deps.pseudonymKey, tenantId, subjectId);
  return withTransaction(deps.pool, (tx) => pageConsentHistory(tx, tenantId, ref, page.limit, seqCursor(page.cursor)), asTenant(tenantId));
}

/** One row per purpose, by purpose. */
export async function subjectCurrentConsents(deps: ConsentDeps, tenantId: string, subjectId: string, page: PageRequest): Promise<Page<ConsentRow>> {
  const rows = await withTransaction(deps.pool, (tx) => currentConsents(tx, subjectRef(deps.pseudonymKey, tenantId, subjectId)), asTenant(tenantId));
  return pageInMemory(rows, page, (c) => [c.purpose], ['asc']);
}
