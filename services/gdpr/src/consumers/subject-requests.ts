// gdpr.subject-requests -> receipts: gdpr answers as a data holder too (its consent proofs).
import { participateInSubjectRequests, type ParticipantInfra } from '@vigil/privacy';
import { ownSubjectData } from '../operations/subject-data.js';

export function answerSubjectRequests(infra: ParticipantInfra, pseudonymKey: string): void {
  participateInSubjectRequests(infra, 'gdpr', ownSubjectData(pseudonymKey));
}
