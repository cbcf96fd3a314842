// Audit trail API: entries, chain verification, signed checkpoints and the public key to check them.
import { Type } from '@sinclair/typebox';
import { PageOf, PageQuery, pageQuery } from '@vigil/service-kit';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { auditCheckpoints, auditEntries, checkpointTenant, verifyChain, type AuditDeps } from '../operations/audit.js';

const Broken = Type.Union([Type.Object({ seq: Type.Integer(), reason: Type.String(), expected: Type.String(), found: Type.String() }), Type.Null()]);

export const auditRoutes: FastifyPluginAsyncTypebox<{ deps: AuditDeps }> = async (app, { deps }) => {
  app.get(
    '/audit/entries',
    {
      schema: {
        summary: 'The audit chain in order (seq); filter by topic or subject', tags: ['audit'],
        querystring: Type.Object({
          ...pageQuery({ limit: 100, maxLimit: 1000 }),
          topic: Type.Optional(Type.String({ maxLength: 200 })),
          subjectId: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
        }),
        response: {
          200: PageOf(
            Type.Object({
              seq: Type.Integer(),
              eventId: Type.String(),
              topic: Type.String(),
              subjectRef: Type.Union([Type.String(), Type.Null()]),
              content: Type.Unknown(),
              prevHash: Type.String(),
              hash: Type.String(),
              recordedAt: Type.String(),
            }),
          ),
        },
      },
    },
    async (req) => auditEntries(deps, req.principal.tenantId, req.query),
  );

  app.get(
    '/audit/verify',
    {
      schema: {
        tags: ['audit'],
        summary: 'Verify the audit chain',
        description: "Verifies this tenant's whole chain and its signed checkpoints; returns the first broken link.",
        response: {
          200: Type.Object({
            valid: Type.Boolean(),
            entries: Type.Integer(),
            head: Type.Union([Type.Object({ seq: Type.Integer(), hash: Type.String() }), Type.Null()]),
            checkpoints: Type.Object({
              total: Type.Integer(),
              verified: Type.Integer(),
              latestSeq: Type.Union([Type.Integer(), Type.Null()]),
              latestSignedAt: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'When the latest verified checkpoint was signed' })),
              latestVerifiedSeq: Type.Optional(Type.Union([Type.Integer(), Type.Null()], { description: 'The latest checkpoint whose signature and hash held' })),
            }),
            firstBroken: Broken,
            verifiedAt: Type.String(),
          }),
        },
      },
    },
    async (req) => verifyChain(deps, req.principal.tenantId),
  );

  app.post('/audit/checkpoints', { config: { role: 'admin' }, schema: { summary: 'Sign the current chain head now (admin)', tags: ['audit'], description: 'Signs the current chain head now.' } }, async (req, reply) => {
    const c = await checkpointTenant(deps, req.principal.tenantId);
    return reply.status(c ? 201 : 200).send(c ?? { detail: 'the chain is empty' });
  });

  app.get(
    '/audit/checkpoints',
    {
      schema: {
        summary: 'Signed checkpoints, by seq', tags: ['audit'],
        querystring: PageQuery({ limit: 100, maxLimit: 1000 }),
        response: { 200: PageOf(Type.Object({ seq: Type.Integer(), hash: Type.String(), signature: Type.String(), keyId: Type.String(), signedAt: Type.String() })) },
      },
    },
    async (req) => auditCheckpoints(deps, req.principal.tenantId, req.query),
  );

  app.get(
    '/audit/public-key',
    { schema: { summary: 'The Ed25519 public key that checks the checkpoints', tags: ['audit'], response: { 200: Type.Object({ keyId: Type.String(), algorithm: Type.Literal('Ed25519'), publicKeyPem: Type.String() }) } } },
    async () => ({ keyId: deps.signingKey.keyId, algorithm: 'Ed25519' as const, publicKeyPem: deps.signingKey.publicKeyPem }),
  );
};
