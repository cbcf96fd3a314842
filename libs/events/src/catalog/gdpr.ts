// gdpr: consent, data-holder registry, data subject requests and their receipts, deadlines.
import { Type } from '@sinclair/typebox';
import { defineEvent } from '../define.js';
import { Id, Timestamp } from './common.js';

export const ConsentChanged = defineEvent({
  type: 'ConsentChanged',
  topic: 'gdpr.consent',
  version: 1,
  compacted: true,
  description: 'Current consent of one subject for one purpose (compacted: the latest per key wins).',
  key: (d) => `${d.subjectRef}:${d.purpose}`,
  schema: Type.Object({
    consentId: Id,
    subjectRef: Type.String({ minLength: 16, description: 'HMAC of the subject id, never the id itself' }),
    purpose: Type.String({ minLength: 1 }),
    granted: Type.Boolean(),
    method: Type.Union([Type.Literal('given'), Type.Literal('withdrawn'), Type.Literal('gpc')]),
    noticeVersion: Type.String(),
    recordedAt: Timestamp,
  }),
});

export const DataHolderRegistered = defineEvent({
  type: 'DataHolderRegistered',
  topic: 'gdpr.data-holders',
  version: 1,
  compacted: true,
  description: 'A service declares, at startup, the personal data categories it holds and answers requests for.',
  key: (d) => d.service,
  schema: Type.Object({
    service: Type.String({ minLength: 1 }),
    categories: Type.Array(
      Type.Object({ category: Type.String({ minLength: 1 }), tables: Type.Array(Type.String()), description: Type.String() }),
    ),
    handles: Type.Array(Type.Union([Type.Literal('erasure'), Type.Literal('export')])),
    registeredAt: Timestamp,
  }),
});

const Identifier = Type.Object({ type: Type.String({ minLength: 1 }), value: Type.String({ minLength: 1 }) });
const RequestKind = Type.Union([Type.Literal('access'), Type.Literal('erasure'), Type.Literal('portability')]);

export const SubjectRequestIssued = defineEvent({
  type: 'SubjectRequestIssued',
  topic: 'gdpr.subject-requests',
  version: 1,
  description: 'A verified data subject request fanned out to every registered data holder.',
  key: (d) => d.requestId,
  schema: Type.Object({
    requestId: Id,
    kind: RequestKind,
    identifiers: Type.Array(Identifier, { minItems: 1 }),
    expectedServices: Type.Array(Type.String()),
    deadline: Timestamp,
    issuedAt: Timestamp,
    holds: Type.Optional(
      Type.Array(
        Type.Object({
          category: Type.String({ minLength: 1 }),
          ground: Type.String({ minLength: 1, description: 'Art. 17(3) ground, e.g. "Art. 17(3)(e)"' }),
          reason: Type.String(),
        }),
        { description: 'Erasure exceptions in force: data of these categories is kept and reported as retained with the ground' },
      ),
    ),
    parentRequestId: Type.Optional(Type.String({ description: 'Set when erasure runs again after a hold or retention period ended' })),
  }),
});

export const SubjectRequestReceipt = defineEvent({
  type: 'SubjectRequestReceipt',
  topic: 'gdpr.request-receipts',
  version: 1,
  description: "A data holder's proof of what it erased, exported or retained for a request.",
  key: (d) => d.requestId,
  schema: Type.Object({
    requestId: Id,
    service: Type.String({ minLength: 1 }),
    kind: RequestKind,
    status: Type.Union([Type.Literal('completed'), Type.Literal('failed')]),
    tables: Type.Array(
      Type.Object({
        table: Type.String(),
        rows: Type.Integer({ minimum: 0 }),
        action: Type.Union([Type.Literal('erased'), Type.Literal('exported'), Type.Literal('retained')]),
        ground: Type.Optional(Type.String()),
      }),
    ),
    exportPart: Type.Optional(Type.Object({ format: Type.Literal('json'), sha256: Type.String(), data: Type.Unknown() })),
    error: Type.Optional(Type.String()),
    completedAt: Timestamp,
  }),
});

export const GdprDeadlineWarning = defineEvent({
  type: 'GdprDeadlineWarning',
  topic: 'gdpr.deadlines',
  version: 1,
  description: 'A request or breach notification deadline is near or missed.',
  key: (d) => d.refId,
  schema: Type.Object({
    subject: Type.Union([Type.Literal('request'), Type.Literal('breach')]),
    refId: Id,
    state: Type.Union([Type.Literal('near'), Type.Literal('missed')]),
    deadline: Timestamp,
    detail: Type.String(),
  }),
});
