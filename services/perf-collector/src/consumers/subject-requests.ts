// gdpr.subject-requests -> receipts: perf-collector exports or erases the APM points whose
// attributes carry a subject identifier.
import { participateInSubjectRequests, type ParticipantInfra } from '@vigil/privacy';
import { subjectData } from '../operations/subject-data.js';

export function answerSubjectRequests(infra: ParticipantInfra): void {
  participateInSubjectRequests(infra, 'perf-collector', subjectData);
}
