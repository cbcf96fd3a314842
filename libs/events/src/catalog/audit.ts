// Processing activities any service reports; gdpr appends them to its hash-chained Art. 30 log.
import { Type } from '@sinclair/typebox';
import { defineEvent } from '../define.js';
import { Timestamp } from './common.js';

export const ProcessingRecorded = defineEvent({
  type: 'ProcessingRecorded',
  topic: 'audit.processing',
  version: 1,
  description: 'A processing activity on personal data (no raw personal data: subjects appear as HMAC refs).',
  key: (d) => d.subjectRef ?? d.service,
  schema: Type.Object({
    service: Type.String({ minLength: 1 }),
    activity: Type.String({ minLength: 1 }),
    subjectRef: Type.Optional(Type.String()),
    categories: Type.Array(Type.String()),
    detail: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()]))),
    recordedAt: Timestamp,
  }),
});
