// Data subject request API: intake, verification, extension, refusal, retry, exports.
import { Type } from '@sinclair/typebox';
import { PageOf, pageQuery } from '@vigil/service-kit';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { exportManifest, exportStream } from '../operations/exports.js';
import { extendRequest, refuseRequest, requestDetail, requestList, retryRequest, submitRequest, verifyRequest, type RequestDeps } from '../operations/requests.js';

const Kind = Type.Union([Type.Literal('access'), Type.Literal('erasure'), Type.Literal('portability')]);
const State = Type.Union([Type.Literal('unverified'), Type.Literal('in_progress'), Type.Literal('completed'), Type.Literal('refused')]);
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

const RequestView = Type.Object({
  id: Type.String(),
  kind: Kind,
  subjectRef: Type.String(),
  idempotencyKey: Nullable(Type.String()),
  state: State,
  receivedAt: Type.String(),
  verifiedAt: Nullable(Type.String()),
  deadline: Type.String(),
  extendedDeadline: Nullable(Type.String()),
  effectiveDeadline: Type.String(),
  extensionReason: Nullable(Type.String()),
  refusalReason: Nullable(Type.String()),
  expectedServices: Type.Array(Type.String()),
  completedAt: Nullable(Type.String()),
  parentId: Nullable(Type.String()),
  origin: Type.String(),
});

const Receipt = Type.Object({
  service: Type.String(),
  status: Type.String(),
  tables: Type.Array(Type.Object({ table: Type.String(), rows: Type.Integer(), action: Type.String(), ground: Type.Optional(Type.String()) })),
  exportSha256: Nullable(Type.String()),
  error: Nullable(Type.String()),
  completedAt: Type.String(),
  receivedAt: Type.String(),
});

const Intake = Type.Object(
  {
    kind: Kind,
    identifiers: Type.Array(
      Type.Object({ type: Type.String({ minLength: 1, maxLength: 40 }), value: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }),
      { minItems: 1, maxItems: 20 },
    ),
    idempotencyKey: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);

const RequestParams = Type.Object({ requestId: Type.String({ format: 'uuid' }) });
const Reason = Type.Object({ reason: Type.String({ minLength: 3, maxLength: 2000 }) }, { additionalProperties: false });

export const subjectRequestRoutes: FastifyPluginAsyncTypebox<{ deps: RequestDeps }> = async (app, { deps }) => {
  app.post(
    '/subject-requests',
    {
      schema: {
        summary: 'Take in an access, erasure or portability request', tags: ['requests'],
        description: 'Intake of an access, erasure or portability request. Returns a verification token once (to be delivered to the subject); a duplicate returns the open request with 200.',
        body: Intake,
        response: { 200: Type.Object({ request: RequestView }), 201: Type.Object({ request: RequestView, verificationToken: Type.String() }) },
      },
    },
    async (req, reply) => {
      const r = await submitRequest(deps, req.principal.tenantId, req.body);
      return r.created ? reply.status(201).send({ request: r.request, verificationToken: r.verificationToken! }) : reply.status(200).send({ request: r.request });
    },
  );

  app.get(
    '/subject-requests',
    {
      schema: {
        summary: 'Subject requests, newest first; filter by state', tags: ['requests'],
        querystring: Type.Object({ state: Type.Optional(State), ...pageQuery({ limit: 100, maxLimit: 500 }) }),
        response: { 200: PageOf(RequestView) },
      },
    },
    async (req) => requestList(deps, req.principal.tenantId, req.query),
  );

  app.get(
    '/subject-requests/:requestId',
    {
      schema: {
        summary: 'One request with its receipts and the services still missing', tags: ['requests'],
        params: RequestParams,
        response: { 200: Type.Intersect([RequestView, Type.Object({ receipts: Type.Array(Receipt), missingServices: Type.Array(Type.String()) })]) },
      },
    },
    async (req) => requestDetail(deps, req.principal.tenantId, req.params.requestId),
  );

  app.post(
    '/subject-requests/:requestId/verify',
    {
      schema: {
        summary: "Verify the subject's identity with the token; fans the request out", tags: ['requests'],
        params: RequestParams,
        body: Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
        response: { 200: RequestView },
      },
    },
    async (req) => verifyRequest(deps, req.principal.tenantId, req.params.requestId, req.body.token),
  );

  app.post(
    '/subject-requests/:requestId/extend',
    { schema: { summary: 'Extend the deadline by two months, with reasons (Art. 12(3))', tags: ['requests'], description: 'Art. 12(3): extend by two further months, with reasons.', params: RequestParams, body: Reason, response: { 200: RequestView } } },
    async (req) => extendRequest(deps, req.principal.tenantId, req.params.requestId, req.body.reason),
  );

  app.post(
    '/subject-requests/:requestId/refuse',
    { schema: { summary: 'Refuse a request, with reasons (Art. 12(4)/(5))', tags: ['requests'], description: 'Art. 12(4)/(5): refuse, with reasons.', params: RequestParams, body: Reason, response: { 200: RequestView } } },
    async (req) => refuseRequest(deps, req.principal.tenantId, req.params.requestId, req.body.reason),
  );

  app.post(
    '/subject-requests/:requestId/retry',
    {
      schema: {
        summary: 'Ask the services without a completed receipt again', tags: ['requests'],
        description: 'Asks the services without a completed receipt again.',
        params: RequestParams,
        response: { 200: Type.Object({ request: RequestView, reissuedTo: Type.Array(Type.String()) }) },
      },
    },
    async (req) => retryRequest(deps, req.principal.tenantId, req.params.requestId),
  );

  app.get(
    '/subject-requests/:requestId/export',
    {
      schema: {
        summary: 'Download the export of a completed access or portability request', tags: ['requests'],
        description: 'Streams the export of a completed access or portability request.',
        params: RequestParams,
        querystring: Type.Object({
          format: Type.Union([Type.Literal('json'), Type.Literal('csv'), Type.Literal('xml')], { default: 'json' }),
          raw: Type.Boolean({ default: false, description: 'CSV: no formula neutralisation (for machine consumers); see the manifest' }),
        }),
      },
    },
    async (req, reply) => {
      const e = await exportStream(deps.pool, req.principal.tenantId, req.params.requestId, req.query.format, { raw: req.query.raw });
      return reply.type(e.contentType).header('content-disposition', `attachment; filename="${e.filename}"`).send(e.stream);
    },
  );

  app.get(
    '/subject-requests/:requestId/export/manifest',
    { schema: { summary: 'Checksums of every part and export file', tags: ['requests'], description: 'Checksums of every part and every export file.', params: RequestParams } },
    async (req) => exportManifest(deps.pool, req.principal.tenantId, req.params.requestId),
  );
};
