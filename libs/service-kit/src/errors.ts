// Typed application errors and their RFC 9457 problem+json rendering.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

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

export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError, req, reply) => {
    if (error instanceof AppError) {
      for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
      return sendProblem(req, reply, error.status, error.code, error.detail, error.extra);
    }
    const fe = error as FastifyError;
    if (fe.validation) {
      const where = fe.validationContext ?? 'request';
      const detail = fe.validation.map((v) => `${where}${v.instancePath || ''} ${v.message ?? 'is invalid'}`).join('; ');
      return sendProblem(req, reply, 400, 'VALIDATION_FAILED', detail);
    }
    const status = fe.statusCode ?? 500;
    if (status >= 400 && status < 500) return sendProblem(req, reply, status, fe.code ?? 'BAD_REQUEST', fe.message);
    req.log.error({ err: error }, 'request failed');
    return sendProblem(req, reply, status >= 500 ? status : 500, 'INTERNAL', undefined);
  });
  app.setNotFoundHandler((req, reply) => sendProblem(req, reply, 404, 'ROUTE_NOT_FOUND', `no route ${req.method} ${req.url.split('?')[0]}`));
}
