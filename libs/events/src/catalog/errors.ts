// error-ingest: accepted Sentry events and the issue lifecycle derived from them.
import { Type } from '@sinclair/typebox';
import { defineEvent } from '../define.js';
import { Id, Timestamp } from './common.js';

export const ErrorEventAccepted = defineEvent({
  type: 'ErrorEventAccepted',
  topic: 'errors.events',
  version: 1,
  description:
    'Sentry events of one project spooled by ingest in PostgreSQL (accepted_events) while Kafka was unreachable or slow. Carries references, not payloads: ' +
    'the processor reads them from the spool. The fast path sends version 2 instead.',
  key: (d) => d.projectId,
  schema: Type.Object({
    projectId: Id,
    events: Type.Array(
      Type.Object({ eventId: Id, keyId: Type.Optional(Id), receivedAt: Timestamp, bytes: Type.Optional(Type.Integer({ minimum: 0 })) }),
      { minItems: 1, maxItems: 5000 },
    ),
  }),
});

// Not exported (every export of a catalog file is a definition): the largest message on errors.events, a 1 MiB event (ERRORS_MAX_EVENT_BYTES) plus its envelope, with room for re-serialisation.
const ERROR_EVENT_MAX_MESSAGE_BYTES = 2 * 1024 * 1024;

/**
 * Version 2 of ErrorEventAccepted: ONE accepted event with its payload, produced by ingest straight
 * onto Kafka (the fast path) — no PostgreSQL write before processing. Version 1 (references to
 * rows in ingest's spool) is still produced when Kafka was unreachable at accept time.
 */
export const ErrorEventAcceptedV2 = defineEvent({
  type: 'ErrorEventAccepted',
  topic: 'errors.events',
  version: 2,
  description:
    'One Sentry event accepted by ingest, with its raw payload (the parsed event JSON, at most 1 MiB). The topic allows messages of ' +
    `${ERROR_EVENT_MAX_MESSAGE_BYTES} bytes; produce requests are gzip-compressed.`,
  key: (d) => d.projectId,
  maxMessageBytes: ERROR_EVENT_MAX_MESSAGE_BYTES,
  compression: 'gzip',
  firehose: true,
  schema: Type.Object({
    projectId: Id,
    eventId: Id,
    keyId: Type.Optional(Id),
    receivedAt: Timestamp,
    event: Type.Record(Type.String(), Type.Unknown()),
  }),
});

/**
 * What one processing batch did for one project: how many events it stored and into how many issues, and when
 * they were received. The per-event topic (errors.events) is a firehose that generic listeners skip; this is
 * its summary for dashboards and the timeline, at most one per project per batch.
 */
export const ErrorEventsProcessed = defineEvent({
  type: 'ErrorEventsProcessed',
  topic: 'errors.processed',
  version: 1,
  description: 'A summary of one processing batch of one project: events stored, issues they went to, and the span of their receipt times.',
  key: (d) => d.projectId,
  schema: Type.Object({
    projectId: Id,
    eventCount: Type.Integer({ minimum: 1 }),
    issueCount: Type.Integer({ minimum: 1 }),
    firstReceivedAt: Timestamp,
    lastReceivedAt: Timestamp,
  }),
});

const IssueContext = {
  projectId: Id,
  issueId: Id,
  title: Type.String(),
  culprit: Type.Optional(Type.String()),
  level: Type.String(),
  count: Type.Integer({ minimum: 0 }),
  release: Type.Optional(Type.String()),
  environment: Type.Optional(Type.String()),
  link: Type.Optional(Type.String()),
};

export const IssueOpened = defineEvent({
  type: 'IssueOpened',
  topic: 'errors.issue-opened',
  version: 1,
  description: 'A fingerprint seen for the first time.',
  key: (d) => d.issueId,
  schema: Type.Object({ ...IssueContext, firstSeen: Timestamp }),
});

export const IssueRegressed = defineEvent({
  type: 'IssueRegressed',
  topic: 'errors.issue-regressed',
  version: 1,
  description: 'A resolved issue seen again in a newer release.',
  key: (d) => d.issueId,
  schema: Type.Object({ ...IssueContext, resolvedInRelease: Type.Optional(Type.String()) }),
});

export const ErrorSpikeDetected = defineEvent({
  type: 'ErrorSpikeDetected',
  topic: 'errors.spikes',
  version: 1,
  description: "An issue's event rate far above its own baseline.",
  key: (d) => d.issueId,
  schema: Type.Object({
    ...IssueContext,
    windowStart: Timestamp,
    windowMinutes: Type.Integer({ minimum: 1 }),
    baseline: Type.Number(),
    zScore: Type.Number(),
  }),
});
