// Stable error codes of error-ingest, as the kit's AppError (one style in every service). The
// ingest routes render them as problem+json with the X-Sentry-Error header, the API routes
// through the kit's problem handler.
import { AppError, conflict, notFound } from '@vigil/service-kit';

/** 400 codes of ingest: framing, JSON, field types, event id, client reports. */
export type MalformedCode =
  | 'ERRORS_EMPTY_BODY'
  | 'ERRORS_ENVELOPE_INVALID'
  | 'ERRORS_ITEM_INVALID'
  | 'ERRORS_ITEM_LENGTH_INVALID'
  | 'ERRORS_EVENT_INVALID'
  | 'ERRORS_EVENT_ID_INVALID'
  | 'ERRORS_TOO_MANY_EVENTS'
  | 'ERRORS_CLIENT_REPORT_INVALID'
  | 'ERRORS_BODY_ENCODING_INVALID';

/** 413 codes of ingest. */
export type TooLargeCode = 'ERRORS_BODY_TOO_LARGE' | 'ERRORS_EVENT_TOO_LARGE' | 'ERRORS_HEADER_TOO_LARGE';

export const malformed = (code: MalformedCode, detail: string) => new AppError(400, code, detail);
export const tooLarge = (code: TooLargeCode, detail: string) => new AppError(413, code, detail);
export const forbidden = (detail: string) => new AppError(403, 'ERRORS_AUTH_FAILED', detail);
export const encodingUnsupported = (encoding: string) =>
  new AppError(415, 'ERRORS_ENCODING_UNSUPPORTED', `Content-Encoding ${encoding} is not supported (gzip, deflate, br)`);
export const rateLimited = (projectId: string, seconds: number) =>
  new AppError(429, 'ERRORS_RATE_LIMITED', `project ${projectId} is over its event quota; retry in ${seconds} s`, {}, {
    'retry-after': String(seconds),
    'x-sentry-rate-limits': `${seconds}::project`,
  });
export const storageUnavailable = () => new AppError(503, 'ERRORS_STORAGE_UNAVAILABLE', 'the event store is unavailable; retry later', {}, { 'retry-after': '30' });

export const projectNotFound = (projectId: string) => notFound('ERRORS_PROJECT_NOT_FOUND', `no project ${projectId}`);
export const projectExists = (name: string | undefined) => conflict('ERRORS_PROJECT_EXISTS', `a project named "${name}" already exists`);
export const issueNotFound = (projectId: string, issueId: string) => notFound('ERRORS_ISSUE_NOT_FOUND', `no issue ${issueId} in project ${projectId}`);
export const keyNotFound = (projectId: string, keyId: string) => notFound('ERRORS_KEY_NOT_FOUND', `no key ${keyId} in project ${projectId}`);
