// Typed application errors and their RFC 9457 problem+json rendering.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { validationDetail, type AjvError } from './validation-detail.js';

export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
    /** Response headers, e.g. Retry-After on a 503 or 429. */
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

export const badRequest = (code: string, detail: string, extra?: Record<string, unknown>) => new AppError(400, code, detail, extra);
export const notFound = (code: string, detail: string) => new AppError(404, code, detail);
export const conflict = (code: string, detail: string) => new AppError(409, code, detail);

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function sendProblem(req: FastifyRequest, reply: FastifyReply, status: number, code: string, detail?: string, extra: Record<string, unknown> = {}) {
  return reply
    .status(status)
    .type('application/problem+json')
    .send({
      type: `https://vigil.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`,
      title: TITLES[status] ?? 'Error',
      status,
      code,
      ...(detail ? { detail } : {}),
      instance: req.url,
      requestId: req.id,
      ...extra,
    });
}

// PostgreSQL data exceptions caused by the value a client sent, not by the server: U+0000 in text
// or jsonb (22P05), a byte sequence not valid in the encoding (22021), a string too long for its
// column (22001), a number out of range (22003), an impossible date or time (22007, 22008), a value
// that does not parse as its type (22P02). They are the client's to fix: 400, never 500.
const PG_INPUT_ERRORS = new Set(['22P05', '22021', '22001', '22003', '22007', '22008', '22P02']);

const pgInputError = (error: unknown): { message: string; detail?: string } | undefined => {
  const e = error as { code?: unknown; message?: unknown; detail?: unknown; severity?: unknown };
  return typeof e.code === 'string' && PG_INPUT_ERRORS.has(e.code) && typeof e.severity === 'string' && typeof e.message === 'string'
    ? { message: e.message, detail: typeof e.detail === 'string' ? e.detail : undefined }
    : undefined;
};

/** fastify's own 4xx (body parsing, media type, size) under stable platform codes, not FST_ internals. */
export const clientErrorCode = (status: number): string =>
  status === 413 ? 'BODY_TOO_LARGE' : status === 415 ? 'MEDIA_TYPE_UNSUPPORTED' : status === 400 ? 'BODY_INVALID' : status === 404 ? 'ROUTE_NOT_FOUND' : 'BAD_REQUEST';

export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError, req, reply) => {
    if (error instanceof AppError) {
      for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
      return sendProblem(req, reply, error.status, error.code, error.detail, error.extra);
    }
    const fe = error as FastifyError;
    if (fe.validation) return sendProblem(req, reply, 400, 'VALIDATION_FAILED', validationDetail(fe.validation as AjvError[], fe.validationContext));
    const pg = pgInputError(error);
    if (pg) return sendProblem(req, reply, 400, 'VALUE_NOT_STORABLE', `a value in the request cannot be stored: ${pg.message}${pg.detail ? ` (${pg.detail})` : ''}`);
    const status = fe.statusCode ?? 500;
    if (status >= 400 && status < 500) return sendProblem(req, reply, status, clientErrorCode(status), fe.message);
    req.log.error({ err: error }, 'request failed');
    return sendProblem(req, reply, status >= 500 ? status : 500, 'INTERNAL', undefined);
  });
  app.setNotFoundHandler((req, reply) => sendProblem(req, reply, 404, 'ROUTE_NOT_FOUND', `no route ${req.method} ${req.url.split('?')[0]}`));
}
