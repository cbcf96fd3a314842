// Breach register API (Art. 33/34).
import { Type } from '@sinclair/typebox';
import { PageOf, PageQuery } from '@vigil/service-kit';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Pool } from 'pg';
import { ART33_FIELDS, ART34_EXEMPTIONS } from '../domain/breaches.js';
import { breachDetail, breachRegister, recordBreach, updateBreachDecision } from '../operations/breaches.js';

const Text = (max = 2000) => Type.String({ minLength: 1, maxLength: max });
const Time = Type.String({ format: 'date-time' });

// Art. 33(4): every Art. 33(3) field may come later; the view lists the ones still missing.
const Art33 = {
  nature: Type.Optional({ ...Text(), description: 'Art. 33(3)(a)' }),
  dataCategories: Type.Optional(Type.Array(Text(200), { minItems: 1, maxItems: 100, description: 'Art. 33(3)(a)' })),
  approxSubjects: Type.Optional(Type.Integer({ minimum: 0, description: 'Art. 33(3)(a)' })),
  approxRecords: Type.Optional(Type.Integer({ minimum: 0, description: 'Art. 33(3)(a)' })),
  dpoContact: Type.Optional({ ...Text(500), description: 'Art. 33(3)(b)' }),
  likelyConsequences: Type.Optional({ ...Text(), description: 'Art. 33(3)(c)' }),
  measures: Type.Optional({ ...Text(), description: 'Art. 33(3)(d)' }),
};
const Risk = Type.Union([Type.Literal('none'), Type.Literal('risk'), Type.Literal('high')]);

const BreachBody = Type.Object({ title: Text(300), awareAt: Time, risk: Risk, ...Art33 }, { additionalProperties: false });

const Str = Type.Union([Type.String(), Type.Null()]);
const BreachView = Type.Object({
  id: Type.String(),
  title: Type.String(),
  awareAt: Type.String(),
  notifyDeadline: Type.String(),
  nature: Str,
  dataCategories: Type.Array(Type.String()),
  approxSubjects: Type.Union([Type.Integer(), Type.Null()]),
  approxRecords: Type.Union([Type.Integer(), Type.Null()]),
  dpoContact: Str,
  likelyConsequences: Str,
  measures: Str,
  risk: Risk,
  authorityNotifiedAt: Str,
  notNotifiedReason: Str,
  delayReason: Str,
  subjectsDecision: Type.Union([Type.Literal('notify'), Type.Literal('exempt'), Type.Null()]),
  subjectsExemption: Str,
  subjectsNotifiedAt: Str,
  createdAt: Type.String(),
  notificationOverdue: Type.Boolean(),
  missingFields: Type.Array(Type.Union(ART33_FIELDS.map((f) => Type.Literal(f.field))), { description: 'Art. 33(3) fields not given yet, in the article order' }),
  updates: Type.Array(Type.Object({ phase: Type.String(), detail: Type.String(), addedAt: Type.String() })),
});

const DecisionBody = Type.Object(
  {
    authorityNotifiedAt: Type.Optional(Time),
    notNotifiedReason: Type.Optional(Text()),
    delayReason: Type.Optional(Text()),
    subjectsDecision: Type.Optional(Type.Union([Type.Literal('notify'), Type.Literal('exempt')])),
    subjectsExemption: Type.Optional(Type.Union(ART34_EXEMPTIONS.map((e) => Type.Literal(e)))),
    subjectsNotifiedAt: Type.Optional(Time),
    phase: Type.Optional(Type.Object({ phase: Text(100), detail: Text() }, { additionalProperties: false, description: 'Art. 33(4): information in phases' })),
    ...Art33,
  },
  { additionalProperties: false, minProperties: 1 },
);

const Params = Type.Object({ breachId: Type.String({ format: 'uuid' }) });

export const breachRoutes: FastifyPluginAsyncTypebox<{ pool: Pool }> = async (app, { pool }) => {
  app.post(
    '/breaches',
    { schema: { tags: ['breaches'], summary: 'Record a breach; its 72-hour clock starts at awareAt', body: BreachBody, response: { 201: BreachView } } },
    async (req, reply) => reply.status(201).send(await recordBreach(pool, req.principal.tenantId, req.body)),
  );
  app.get(
    '/breaches',
    {
      schema: {
        tags: ['breaches'],
        summary: 'The breach register',
        description: 'Art. 33(5) register, notified or not.',
        querystring: PageQuery({ limit: 100, maxLimit: 1000 }),
        response: { 200: PageOf(BreachView) },
      },
    },
    async (req) => breachRegister(pool, req.principal.tenantId, req.query),
  );
  app.get('/breaches/:breachId', { schema: { tags: ['breaches'], summary: 'One breach', params: Params, response: { 200: BreachView } } }, async (req) =>
    breachDetail(pool, req.principal.tenantId, req.params.breachId),
  );
  app.patch(
    '/breaches/:breachId',
    {
      schema: {
        tags: ['breaches'],
        summary: 'Add Art. 33(3) fields, a phase of information, the notification or the Art. 34 decision',
        params: Params,
        body: DecisionBody,
        response: { 200: BreachView },
      },
    },
    async (req) => updateBreachDecision(pool, req.principal.tenantId, req.params.breachId, req.body),
  );
};
