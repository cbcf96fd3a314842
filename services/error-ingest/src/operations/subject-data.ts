// error-ingest as a GDPR participant: a subject's identifiers become the same pseudonyms
// processing stored, which find their events, pseudonymised ids and issue-user links.
import { subjectRef, type SubjectDataHandler, type SubjectRequest } from '@vigil/privacy';
import { eraseSubject, exportSubject } from '../db/subjects.js';
import { SUBJECT_ID_TYPES } from '../domain/normalise.js';

const HANDLED = new Set<string>(SUBJECT_ID_TYPES);

function refsOf(secret: string, req: SubjectRequest): string[] {
  return [...new Set(req.identifiers.filter((i) => HANDLED.has(i.type)).map((i) => subjectRef(secret, req.tenantId, i.value)))];
}

export function subjectDataHandler(pseudonymKey: string): SubjectDataHandler {
  return {
    async erase(tx, req) {
      const refs = refsOf(pseudonymKey, req);
      const r = refs.length ? await eraseSubject(tx, req.tenantId, refs) : { events: 0, eventSubjects: 0, issueUsers: 0 };
      return [
        { table: 'errors.events', rows: r.events, action: 'erased' },
        { table: 'errors.event_subjects', rows: r.eventSubjects, action: 'erased' },
        { table: 'errors.issue_users', rows: r.issueUsers, action: 'erased' },
      ];
    },
    async export(tx, req) {
      const refs = refsOf(pseudonymKey, req);
      const data = refs.length ? await exportSubject(tx, req.tenantId, refs) : { events: [], pseudonyms: [], issueUsers: 0 };
      return {
        tables: [
          { table: 'errors.events', rows: data.events.length, action: 'exported' },
          { table: 'errors.event_subjects', rows: data.pseudonyms.length, action: 'exported' },
          { table: 'errors.issue_users', rows: data.issueUsers, action: 'exported' },
        ],
        data,
      };
    },
  };
}
