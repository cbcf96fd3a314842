// Sentry ingest endpoints (public: authenticated by DSN key, not API key). Any
// Content-Type is accepted as raw bytes; errors carry X-Sentry-Error.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, clientErrorCode, sendProblem, validationDetail, type AjvError } from '@vigil/service-kit';
import type { Ingest, IngestRequest } from '../operations/ingest.js';
import { sentryErrorHeader } from '../domain/sentry-error-header.js';

const Params = Type.Object({ projectId: Type.String({ maxLength: 64 }) });
const Query = Type.Object({ sentry_key: Type.Optional(Type.String({ maxLength: 256 })) }, { additionalProperties: true });
const Accepted = Type.Object({ id: Type.Optional(Type.String()) });

function reject(req: FastifyRequest, reply: FastifyReply, status: number, code: string, detail: string, headers: Record<string, string> = {}) {
  reply.headers({ ...headers, 'x-sentry-error': sentryErrorHeader(detail) });
  return sendProblem(req, reply, status, code, detail);
}

export const ingestRoutes: FastifyPluginAsyncTypebox<{ ingest: Ingest; maxEnvelopeBytes: number }> = async (app, { ingest, maxEnvelopeBytes }) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxEnvelopeBytes }, (_req, body, done) => done(null, body));

  app.setErrorHandler((error: FastifyError | AppError, req, reply) => {
    if (error instanceof AppError) return reject(req, reply, error.status, error.code, error.detail, error.headers);
    if (error.validation) return reject(req, reply, 400, 'VALIDATION_FAILED', validationDetail(error.validation as AjvError[], error.validationContext));
    const status = error.statusCode ?? 500;
    if (status === 413) return reject(req, reply, 413, 'ERRORS_BODY_TOO_LARGE', `the body is larger than ${maxEnvelopeBytes} bytes`);
    if (status >= 400 && status < 500) return reject(req, reply, status, clientErrorCode(status), error.message);
    req.log.error({ err: error }, 'ingest failed');
    return reject(req, reply, 500, 'INTERNAL', 'internal error');
  });

  const request = (req: FastifyRequest): IngestRequest => {
    const params = req.params as { projectId: string };
    const query = req.query as { sentry_key?: string };
    const auth = req.headers['x-sentry-auth'];
    const encoding = req.headers['content-encoding'];
    return {
      projectId: params.projectId,
      body: Buffer.isBuffer(req.body) ? req.body : undefined,
      contentEncoding: typeof encoding === 'string' ? encoding : undefined,
      authHeader: typeof auth === 'string' ? auth : undefined,
      queryKey: query.sentry_key,
    };
  };

  const schema = (summary: string) => ({
    tags: ['ingest'],
    summary,
    security: [],
    params: Params,
    querystring: Query,
    response: { 200: Accepted },
  });

  app.post('/api/:projectId/envelope/', { config: { public: true }, schema: schema('Sentry envelope endpoint') }, async (req) => ingest.envelope(request(req)));
  app.post('/api/:projectId/store/', { config: { public: true }, schema: schema('Legacy Sentry store endpoint') }, async (req) => ingest.store(request(req)));
};
