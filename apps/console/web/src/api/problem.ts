// RFC 9457 problem+json as the console and every service send it, and the error the clients throw.

export interface Problem {
  status: number;
  code?: string;
  title?: string;
  detail?: string;
  /** Some services name the offending field; validation failures name it in `detail` ("body/email …"). */
  field?: string;
  requestId?: string;
}

export class ProblemError extends Error {
  override readonly name = 'ProblemError';
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
  }
  get status(): number {
    return this.problem.status;
  }
  get code(): string | undefined {
    return this.problem.code;
  }
  /** The request field the problem is about, if it says: "`email` in body must match …" → "email" (the top-level field). */
  get field(): string | undefined {
    if (this.problem.field) return this.problem.field;
    const m = /`([A-Za-z0-9_]+)[^`]*` in (?:body|querystring|params)/.exec(this.problem.detail ?? '');
    return m?.[1];
  }
}

export function isProblemError(e: unknown): e is ProblemError {
  return e instanceof ProblemError;
}

/** Builds a ProblemError from a failed response and its already-parsed body (which may not be a problem). */
export function problemFrom(response: Response, body: unknown): ProblemError {
  const b = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return new ProblemError({
    status: typeof b.status === 'number' ? b.status : response.status,
    code: str(b.code),
    title: str(b.title) ?? response.statusText,
    detail: str(b.detail) ?? (typeof body === 'string' && body ? body.slice(0, 300) : undefined),
    field: str(b.field),
    requestId: str(b.requestId),
  });
}

/** The message to show for any error a query or mutation ended with. */
export function errorMessage(e: unknown): string {
  if (isProblemError(e)) return e.problem.detail ?? e.problem.title ?? `HTTP ${e.status}`;
  if (e instanceof TypeError) return 'The console could not be reached. Check the network and try again.';
  if (e instanceof Error) return e.message;
  return String(e);
}
