// Consent API: record (give, withdraw, GPC) in one call, and per-subject history.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { recordConsent, subjectConsentHistory, type ConsentDeps } from '../domain/consent.js';

const Consent = Type.Object({
  id: Type.String(),
  subjectRef: Type.String(),
  purpose: Type.String(),
  granted: Type.Boolean(),
  method: Type.String(),
  noticeVersion: Type.String(),
  channel: Type.String(),
  source: Type.String(),
  recordedAt: Type.String(),
});

const ConsentBody = Type.Object(
  {
    subjectId: Type.String({ minLength: 1, maxLength: 500 }),
    purpose: Type.String({ minLength: 1, maxLength: 100, pattern: '^[a-z0-9_.:-]+$' }),
    granted: Type.Boolean(),
    method: Type.Optional(Type.Union([Type.Literal('given'), Type.Literal('withdrawn'), Type.Literal('gpc')])),
    noticeVersion: Type.String({ minLength: 1, maxLength: 100 }),
    channel: Type.String({ minLength: 1, maxLength: 100 }),
    source: Type.String({ minLength: 1, maxLength: 200 }),
    ip: Type.Optional(Type.String({ maxLength: 100 })),
    userAgent: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);

export const consentRoutes: FastifyPluginAsyncTypebox<{ deps: ConsentDeps }> = async (app, { deps }) => {
  app.post('/consents', { schema: { tags: ['consent'], body: ConsentBody, response: { 201: Consent } } }, async (req, reply) =>
    reply.status(201).send(await recordConsent(deps, req.principal.tenantId, req.body)),
  );

  app.get(
    '/subjects/:subjectId/consents',
    { schema: { tags: ['consent'], params: Type.Object({ subjectId: Type.String({ minLength: 1 }) }), response: { 200: Type.Array(Consent) } } },
    async (req) => subjectConsentHistory(deps, req.principal.tenantId, req.params.subjectId),
  );
};
