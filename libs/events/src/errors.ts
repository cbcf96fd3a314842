/** The payload does not match the catalogued schema: never retried, goes to the DLQ. */
export class EventValidationError extends Error {
  override readonly name = 'EventValidationError';
  constructor(
    readonly eventType: string,
    readonly problems: string[],
  ) {
    super(`invalid ${eventType} payload: ${problems.join('; ')}`);
  }
}

/** Thrown by a handler for input it can never process; skips the retries and goes to the DLQ. */
export class NonRetriableError extends Error {
  override readonly name = 'NonRetriableError';
}

const INFRA_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * A dependency (PostgreSQL, Redis) is down rather than the message being bad.
 * Such failures are retried without limit: dead-lettering would lose good events.
 */
export function isInfrastructureError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (INFRA_CODES.has(code)) return true;
    // PostgreSQL: connection exceptions (08xxx), admin shutdown (57P0x), too many connections (53300)
    if (/^(08|57P0)/.test(code) || code === '53300') return true;
  }
  return /Connection terminated|connection timeout|Client has encountered a connection error/i.test(err.message);
}
