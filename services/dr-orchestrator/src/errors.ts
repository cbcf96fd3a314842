// Stable error codes of dr-orchestrator (DR_*); the kit's handler renders them as problem+json.
import { AppError, badRequest, conflict, notFound } from '@vigil/service-kit';

export const policyInvalid = (detail: string) => badRequest('DR_POLICY_INVALID', detail);
export const policyNotFound = (id: string) => notFound('DR_POLICY_NOT_FOUND', `no backup policy ${id}`);
export const backupNotFound = (id: string) => notFound('DR_BACKUP_NOT_FOUND', `no backup ${id}`);
export const verificationNotFound = (id: string) => notFound('DR_VERIFICATION_NOT_FOUND', `no verification ${id}`);
export const runbookNotFound = (slug: string) => notFound('DR_RUNBOOK_NOT_FOUND', `no runbook ${slug}`);
export const backupNotRestorable = (id: string, status: string) => conflict('DR_BACKUP_NOT_RESTORABLE', `backup ${id} is ${status}; only completed backups can be restored`);
export const noBackupForDrill = (policyId: string) => conflict('DR_NO_BACKUP', `policy ${policyId} has no completed backup to drill on`);
export const policyBusy = (policyId: string) => new AppError(409, 'DR_POLICY_BUSY', `policy ${policyId} already has an operation running`);

/** A failure of a backup or restore step, with a message fit for an operator (no secrets). */
export class OperationError extends Error {
  override readonly name = 'OperationError';
}
export const cursorInvalid = () => badRequest('DR_CURSOR_INVALID', 'cursor must be the nextCursor of a previous page of this list');
