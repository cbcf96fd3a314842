// error-ingest: accepted Sentry events and the issue lifecycle derived from them.
import { Type } from '@sinclair/typebox';
import { defineEvent } from '../define.js';
import { Id, Timestamp } from './common.js';

export const ErrorEventAccepted = defineEvent({
  type: 'ErrorEventAccepted',
  topic: 'errors.events',
  version: 1,
  description:
    'Sentry events of one project accepted by ingest and durable in its accepted-event store. Carries references, not payloads: ' +
    'an event may be up to 1 MiB, larger than a Kafka message should be.',
  key: (d) => d.projectId,
  schema: Type.Object({
    projectId: Id,
    events: Type.Array(
      Type.Object({ eventId: Id, keyId: Type.Optional(Id), receivedAt: Timestamp, bytes: Type.Optional(Type.Integer({ minimum: 0 })) }),
      { minItems: 1, maxItems: 5000 },
    ),
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
