// gdpr.subject-requests -> receipts: gdpr answers as a data holder too (its consent proofs).
import { participateInSubjectRequests, type ParticipantInfra } from '@vigil/privacy';
import { ownSubjectData } from '../operations/subject-data.js';

// Its own consumer group: in group `gdpr` these batches and the receipt batches took turns on one
// consumer, and each waited for the other (bench: receipts arrived ~1.7 s after the holders answered).
export function answerSubjectRequests(infra: ParticipantInfra, pseudonymKey: string): void {
  participateInSubjectRequests(infra, 'gdpr', ownSubjectData(pseudonymKey), { group: 'gdpr-participant' });
}
