// Consent API: record (give, withdraw, GPC) in one call, withdrawal in one call, history and current state.
import { Type } from '@sinclair/typebox';
import { PageOf, PageQuery } from '@vigil/service-kit';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { recordConsent, subjectConsentHistory, subjectCurrentConsents, withdrawConsent, type ConsentDeps } from '../operations/consents.js';

const Consent = Type.Object({
  id: Type.String(),
  subjectRef: Type.String(),
  purpose: Type.String(),
  granted: Type.Boolean(),
  method: Type.String(),
  noticeVersion: Type.String(),
  channel: Type.String(),
  source: Type.String(),
  ipRef: Type.Union([Type.String(), Type.Null()]),
  userAgentRef: Type.Union([Type.String(), Type.Null()]),
  recordedAt: Type.String(),
});

const Purpose = Type.String({ minLength: 1, maxLength: 100, pattern: '^[a-z0-9_.:-]+$' });
const Context = {
  noticeVersion: Type.String({ minLength: 1, maxLength: 100 }),
  channel: Type.String({ minLength: 1, maxLength: 100 }),
  source: Type.String({ minLength: 1, maxLength: 200 }),
  ip: Type.Optional(Type.String({ maxLength: 100 })),
  userAgent: Type.Optional(Type.String({ maxLength: 1000 })),
};

const ConsentBody = Type.Object(
  {
    subjectId: Type.String({ minLength: 1, maxLength: 500 }),
    purpose: Purpose,
    granted: Type.Boolean(),
    method: Type.Optional(Type.Union([Type.Literal('given'), Type.Literal('withdrawn'), Type.Literal('gpc')])),
    ...Context,
  },
  { additionalProperties: false },
);

const SubjectParams = Type.Object({ subjectId: Type.String({ minLength: 1, maxLength: 500 }) });

export const consentRoutes: FastifyPluginAsyncTypebox<{ deps: ConsentDeps }> = async (app, { deps }) => {
  app.post('/consents', { schema: { summary: 'Record a consent: given, withdrawn or a GPC signal', tags: ['consent'], body: ConsentBody, response: { 201: Consent } } }, async (req, reply) =>
    reply.status(201).send(await recordConsent(deps, req.principal.tenantId, req.body)),
  );

  app.post(
    '/subjects/:subjectId/consents/:purpose/withdraw',
    {
      schema: {
        summary: 'Withdraw consent for one purpose in one call (Art. 7(3))', tags: ['consent'],
        description: 'Withdraws consent in one call (Art. 7(3)).',
        params: Type.Object({ subjectId: Type.String({ minLength: 1, maxLength: 500 }), purpose: Purpose }),
        body: Type.Object(Context, { additionalProperties: false }),
        response: { 201: Consent },
      },
    },
    async (req, reply) => reply.status(201).send(await withdrawConsent(deps, req.principal.tenantId, req.params.subjectId, req.params.purpose, req.body)),
  );

  app.get(
    '/subjects/:subjectId/consents',
    { schema: { summary: "A subject's consent log, in order", tags: ['consent'], description: 'Full consent history (append-only log).', params: SubjectParams, querystring: PageQuery({ limit: 100, maxLimit: 1000 }), response: { 200: PageOf(Consent) } } },
    async (req) => subjectConsentHistory(deps, req.principal.tenantId, req.params.subjectId, req.query),
  );

  app.get(
    '/subjects/:subjectId/consents/current',
    { schema: { summary: "A subject's current consent per purpose", tags: ['consent'], description: 'Current consent per purpose, derived from the log.', params: SubjectParams, querystring: PageQuery({ limit: 100, maxLimit: 1000 }), response: { 200: PageOf(Consent) } } },
    async (req) => subjectCurrentConsents(deps, req.principal.tenantId, req.params.subjectId, req.query),
  );
};
