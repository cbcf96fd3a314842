// OTLP/HTTP metrics ingest (POST /v1/metrics): protobuf or JSON, gzip allowed, size-limited,
// partial success per the OTLP specification. Authenticated with an API key as Bearer token.
import { createGunzip } from 'node:zlib';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Outbox } from '@vigil/events';
import type { Pool } from 'pg';
import { ingestOtlpMetrics } from '../operations/apm.js';
import { decodeMetricsRequest, encodeMetricsResponse } from '../domain/otlp-codec.js';
import { otlpInvalid, otlpUnsupportedType } from '../errors.js';

const PROTOBUF = 'application/x-protobuf';

export const otlpRoutes: FastifyPluginAsyncTypebox<{ pool: Pool; outbox: Outbox; maxBytes: number }> = async (app, deps) => {
  app.addContentTypeParser(PROTOBUF, { parseAs: 'buffer', bodyLimit: deps.maxBytes }, (_req, body, done) => done(null, body));
  // Decompress before parsing so the body limit applies to the decompressed size.
  app.addHook('preParsing', async (req, _reply, payload) => {
    const enc = String(req.headers['content-encoding'] ?? 'identity').toLowerCase();
    if (enc === 'identity') return payload;
    if (enc !== 'gzip') throw otlpInvalid(`content-encoding ${enc} is not supported; use gzip or none`);
    delete req.headers['content-length'];
    return payload.pipe(createGunzip());
  });

  app.post(
    '/metrics',
    {
      bodyLimit: deps.maxBytes,
      schema: {
        tags: ['apm'],
        summary: 'OTLP/HTTP metrics export (application/x-protobuf or application/json)',
        body: Type.Unknown(),
      },
    },
    async (req, reply) => {
      const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      let request: unknown;
      if (type === PROTOBUF) {
        try {
          request = decodeMetricsRequest(req.body as Buffer);
        } catch (err) {
          throw otlpInvalid(`body is not an ExportMetricsServiceRequest: ${(err as Error).message}`);
        }
      } else if (type === 'application/json') {
        if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) throw otlpInvalid('JSON body must be an ExportMetricsServiceRequest object');
        request = req.body;
      } else {
        throw otlpUnsupportedType(type);
      }
      const result = await ingestOtlpMetrics(deps, req.principal.tenantId, request);
      const partial = result.rejected > 0 ? { rejectedDataPoints: result.rejected, errorMessage: result.errorMessage } : undefined;
      if (type === PROTOBUF) return reply.status(200).type(PROTOBUF).send(Buffer.from(encodeMetricsResponse(partial)));
      return reply.status(200).type('application/json').send(partial ? { partialSuccess: partial } : {});
    },
  );
};
