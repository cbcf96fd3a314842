// Records of processing activities (Art. 30(1)(a)-(g)).
import { Type } from '@sinclair/typebox';
import { PageOf, PageQuery } from '@vigil/service-kit';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Pool } from 'pg';
import { processingRecord, processingRecords, saveProcessingRecord } from '../operations/records.js';

const Text = (max = 500) => Type.String({ minLength: 1, maxLength: max });
const List = Type.Array(Text(200), { maxItems: 100 });
const RecordBody = Type.Object(
  {
    controller: Type.Object(
      { name: Text(), contact: Text(), representative: Type.Optional(Text()), dpo: Type.Optional(Text()) },
      { additionalProperties: false, description: 'Art. 30(1)(a)' },
    ),
    purposes: Type.Array(Text(200), { minItems: 1, maxItems: 100, description: 'Art. 30(1)(b)' }),
    dataSubjectCategories: Type.Array(Text(200), { minItems: 1, maxItems: 100, description: 'Art. 30(1)(c)' }),
    dataCategories: Type.Array(Text(200), { minItems: 1, maxItems: 100, description: 'Art. 30(1)(c)' }),
    recipients: { ...List, description: 'Art. 30(1)(d)' },
    thirdCountryTransfers: Type.Array(Type.Object({ country: Text(100), safeguards: Text(1000) }, { additionalProperties: false }), {
      maxItems: 100,
      description: 'Art. 30(1)(e)',
    }),
    retention: { ...Text(2000), description: 'Art. 30(1)(f)' },
    securityMeasures: { ...Text(5000), description: 'Art. 30(1)(g)' },
  },
  { additionalProperties: false },
);

const S = Type.String();
const ProcessingRecord = Type.Object({
  id: S,
  name: S,
  controller: Type.Object({ name: S, contact: S, representative: Type.Optional(S), dpo: Type.Optional(S) }),
  purposes: Type.Array(S),
  dataSubjectCategories: Type.Array(S),
  dataCategories: Type.Array(S),
  recipients: Type.Array(S),
  thirdCountryTransfers: Type.Array(Type.Object({ country: S, safeguards: S })),
  retention: S,
  securityMeasures: S,
  createdAt: S,
  updatedAt: S,
});

export const recordRoutes: FastifyPluginAsyncTypebox<{ pool: Pool }> = async (app, { pool }) => {
  app.put(
    '/processing-records/:recordName',
    { schema: { tags: ['records'], summary: 'Create or replace a record of processing, by name (Art. 30)', response: { 200: ProcessingRecord }, params: Type.Object({ recordName: Type.String({ minLength: 1, maxLength: 200, pattern: '^[a-z0-9_.:-]+$' }) }), body: RecordBody } },
    async (req) => saveProcessingRecord(pool, req.principal.tenantId, { name: req.params.recordName, ...req.body }),
  );
  app.get('/processing-records', { schema: { tags: ['records'], summary: 'Records of processing, by name', querystring: PageQuery({ limit: 100, maxLimit: 1000 }), response: { 200: PageOf(ProcessingRecord) } } }, async (req) => processingRecords(pool, req.principal.tenantId, req.query));
  app.get('/processing-records/:recordId', { schema: { tags: ['records'], summary: 'One record of processing', response: { 200: ProcessingRecord }, params: Type.Object({ recordId: Type.String({ format: 'uuid' }) }) } }, async (req) =>
    processingRecord(pool, req.principal.tenantId, req.params.recordId),
  );
};
