// gdpr.subject-requests -> receipts: dr-orchestrator answers as a data holder (its backups).
import { participateInSubjectRequests, type ParticipantInfra } from '@vigil/privacy';
import { backupSubjectData } from '../operations/subject-data.js';

export function answerSubjectRequests(infra: ParticipantInfra): void {
  participateInSubjectRequests(infra, 'dr-orchestrator', backupSubjectData);
}
