// Stable error codes of error-ingest. Domain code throws these; the ingest routes render
// them as problem+json with the X-Sentry-Error header, the API routes as plain problems.
export class IngestRejection extends Error {
  override readonly name = 'IngestRejection';
  constructor(
    readonly status: 400 | 403 | 413 | 415 | 429 | 503,
    readonly code: string,
    readonly detail: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

export const malformed = (code: string, detail: string) => new IngestRejection(400, code, detail);
export const tooLarge = (code: string, detail: string) => new IngestRejection(413, code, detail);
export const forbidden = (detail: string) => new IngestRejection(403, 'ERRORS_AUTH_FAILED', detail);
