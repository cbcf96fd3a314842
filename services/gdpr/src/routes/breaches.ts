// Breach register API (Art. 33/34).
import { Type } from '@sinclair/typebox';
import { PageOf, PageQuery } from '@vigil/service-kit';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Pool } from 'pg';
import { ART34_EXEMPTIONS } from '../domain/breaches.js';
import { breachDetail, breachRegister, recordBreach, updateBreachDecision } from '../operations/breaches.js';

const Text = (max = 2000) => Type.String({ minLength: 1, maxLength: max });
const Time = Type.String({ format: 'date-time' });

const BreachBody = Type.Object(
  {
    title: Text(300),
    awareAt: Time,
    nature: { ...Text(), description: 'Art. 33(3)(a)' },
    dataCategories: Type.Array(Text(200), { minItems: 1, maxItems: 100 }),
    approxSubjects: Type.Optional(Type.Integer({ minimum: 0 })),
    approxRecords: Type.Optional(Type.Integer({ minimum: 0 })),
    dpoContact: { ...Text(500), description: 'Art. 33(3)(b)' },
    likelyConsequences: { ...Text(), description: 'Art. 33(3)(c)' },
    measures: { ...Text(), description: 'Art. 33(3)(d)' },
    risk: Type.Union([Type.Literal('none'), Type.Literal('risk'), Type.Literal('high')]),
  },
  { additionalProperties: false },
);

const DecisionBody = Type.Object(
  {
    authorityNotifiedAt: Type.Optional(Time),
    notNotifiedReason: Type.Optional(Text()),
    delayReason: Type.Optional(Text()),
    subjectsDecision: Type.Optional(Type.Union([Type.Literal('notify'), Type.Literal('exempt')])),
    subjectsExemption: Type.Optional(Type.Union(ART34_EXEMPTIONS.map((e) => Type.Literal(e)))),
    subjectsNotifiedAt: Type.Optional(Time),
    phase: Type.Optional(Type.Object({ phase: Text(100), detail: Text() }, { additionalProperties: false, description: 'Art. 33(4): information in phases' })),
  },
  { additionalProperties: false, minProperties: 1 },
);

const Params = Type.Object({ breachId: Type.String({ format: 'uuid' }) });
const S = Type.String();
const N = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Breach = Type.Object({
  id: S,
  title: S,
  awareAt: S,
  notifyDeadline: Type.String({ description: 'awareAt + 72 h (Art. 33(1))' }),
  nature: S,
  dataCategories: Type.Array(S),
  approxSubjects: N(Type.Integer()),
  approxRecords: N(Type.Integer()),
  dpoContact: S,
  likelyConsequences: S,
  measures: S,
  risk: Type.Union([Type.Literal('none'), Type.Literal('risk'), Type.Literal('high')]),
  authorityNotifiedAt: N(S),
  notNotifiedReason: N(S),
  delayReason: N(S),
  subjectsDecision: N(Type.Union([Type.Literal('notify'), Type.Literal('exempt')])),
  subjectsExemption: N(S),
  subjectsNotifiedAt: N(S),
  warnedState: N(S),
  createdAt: S,
  notificationOverdue: Type.Boolean(),
  updates: Type.Array(Type.Object({ phase: S, detail: S, addedAt: S })),
});

export const breachRoutes: FastifyPluginAsyncTypebox<{ pool: Pool }> = async (app, { pool }) => {
  app.post('/breaches', { schema: { tags: ['breaches'], summary: 'Record a personal data breach (Art. 33(5))', body: BreachBody, response: { 201: Breach } } }, async (req, reply) =>
    reply.status(201).send(await recordBreach(pool, req.principal.tenantId, req.body)),
  );
  app.get('/breaches', { schema: { tags: ['breaches'], summary: 'The breach register, newest awareness first', description: 'Art. 33(5) register, notified or not.', querystring: PageQuery({ limit: 100, maxLimit: 1000 }), response: { 200: PageOf(Breach) } } }, async (req) =>
    breachRegister(pool, req.principal.tenantId, req.query),
  );
  app.get('/breaches/:breachId', { schema: { tags: ['breaches'], summary: 'One breach with its phased updates', params: Params, response: { 200: Breach } } }, async (req) => breachDetail(pool, req.principal.tenantId, req.params.breachId));
  app.patch('/breaches/:breachId', { schema: { tags: ['breaches'], summary: 'Record a notification decision or a phased update (Art. 33/34)', params: Params, body: DecisionBody, response: { 200: Breach } } }, async (req) =>
    updateBreachDecision(pool, req.principal.tenantId, req.params.breachId, req.body),
  );
};
