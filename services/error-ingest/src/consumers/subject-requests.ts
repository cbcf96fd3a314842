// gdpr.subject-requests -> receipts: error-ingest erases or exports a subject's events,
// pseudonyms and issue-user links (found by the same pseudonyms processing stored).
import { participateInSubjectRequests, type ParticipantInfra } from '@vigil/privacy';
import { subjectDataHandler } from '../operations/subject-data.js';

export function answerSubjectRequests(infra: ParticipantInfra, pseudonymKey: string): void {
  participateInSubjectRequests(infra, 'error-ingest', subjectDataHandler(pseudonymKey));
}
