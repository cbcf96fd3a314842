// OTLP/HTTP metrics ingest (POST /v1/metrics): protobuf or JSON, gzip allowed, size-limited,
// partial success per the OTLP specification. Authenticated with an API key as Bearer token.
import { createGunzip } from 'node:zlib';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Outbox } from '@vigil/events';
import type { Pool } from 'pg';
import { ingestOtlpExport, OTLP_PROTOBUF as PROTOBUF } from '../operations/apm.js';
import { otlpInvalid } from '../errors.js';

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
      const mediaType = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      const answer = await ingestOtlpExport(deps, req.principal.tenantId, { mediaType, body: req.body });
      return reply.status(200).type(answer.mediaType).send(answer.body);
    },
  );
};
