// Stable error codes of gdpr (GDPR_*); the kit's handler renders them as problem+json.
import { AppError, badRequest, conflict, notFound } from '@vigil/service-kit';

export const requestNotFound = (id: string) => notFound('GDPR_REQUEST_NOT_FOUND', `no subject request ${id} in this tenant`);
export const verificationFailed = () => new AppError(403, 'GDPR_VERIFICATION_FAILED', 'the verification token does not match this request');
export const requestClosed = (id: string, state: string) => conflict('GDPR_REQUEST_CLOSED', `subject request ${id} is ${state}`);
export const requestUnverified = (id: string) => conflict('GDPR_REQUEST_UNVERIFIED', `subject request ${id} is not verified yet`);
export const alreadyExtended = (id: string) =>
  conflict('GDPR_ALREADY_EXTENDED', `subject request ${id} was already extended (Art. 12(3) allows one extension of two months)`);
export const notExportable = (id: string) => conflict('GDPR_NOT_EXPORTABLE', `subject request ${id} is not a completed access or portability request`);
export const identifierInvalid = (detail: string) => badRequest('GDPR_IDENTIFIER_INVALID', detail);
export const holdNotFound = (id: string) => notFound('GDPR_HOLD_NOT_FOUND', `no active legal hold ${id} in this tenant`);
export const breachNotFound = (id: string) => notFound('GDPR_BREACH_NOT_FOUND', `no breach ${id} in this tenant`);
export const breachInvalid = (detail: string) => badRequest('GDPR_BREACH_INVALID', detail);
export const recordNotFound = (id: string) => notFound('GDPR_RECORD_NOT_FOUND', `no record of processing ${id} in this tenant`);
