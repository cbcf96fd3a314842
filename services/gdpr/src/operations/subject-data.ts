// gdpr as a data holder itself (the subject-requests consumer): it exports a subject's consent proofs; on erasure it keeps
// them, because Art. 7(1) obliges the controller to demonstrate consent (Art. 17(3)(b)).
import type { SubjectDataHandler } from '@vigil/privacy';
import { subjectRef } from '@vigil/privacy';
import { consentRowsByRefs } from '../db/consents.js';
import { scopeTransaction } from '@vigil/service-kit';
import { tenantScope } from './tenant-scope.js';

export const CONSENT_PROOF_GROUND = 'Art. 17(3)(b): proof of consent required by Art. 7(1)';

export function ownSubjectData(pseudonymKey: string): SubjectDataHandler {
  const refs = (tenantId: string, ids: { value: string }[]) => ids.map((i) => subjectRef(pseudonymKey, tenantId, i.value));
  return {
    async erase(tx, req) {
      await scopeTransaction(tx, tenantScope(req.tenantId));
      const rows = await consentRowsByRefs(tx, refs(req.tenantId, req.identifiers));
      return [{ table: 'gdpr.consent_events', rows: rows.length, action: 'retained', ground: CONSENT_PROOF_GROUND }];
    },
    async export(tx, req) {
      await scopeTransaction(tx, tenantScope(req.tenantId));
      const rows = await consentRowsByRefs(tx, refs(req.tenantId, req.identifiers));
      const consents = rows.map((r) => ({
        purpose: r.purpose,
        granted: r.granted,
        method: r.method,
        noticeVersion: r.noticeVersion,
        channel: r.channel,
        source: r.source,
        recordedAt: r.recordedAt,
      }));
      return { tables: [{ table: 'gdpr.consent_events', rows: rows.length, action: 'exported' }], data: { consents } };
    },
  };
}
