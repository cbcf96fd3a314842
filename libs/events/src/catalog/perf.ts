// perf-collector: database metrics, health scores and application (OTLP) metrics.
import { Type } from '@sinclair/typebox';
import { defineEvent } from '../define.js';
import { Id, Labels, Timestamp } from './common.js';

const Sample = Type.Object({ name: Type.String({ minLength: 1 }), value: Type.Number(), labels: Type.Optional(Labels) });

export const MetricsCollected = defineEvent({
  type: 'MetricsCollected',
  topic: 'perf.metrics',
  version: 1,
  description: 'One collection cycle of a monitored PostgreSQL database.',
  key: (d) => d.databaseId,
  schema: Type.Object({ databaseId: Id, collectedAt: Timestamp, samples: Type.Array(Sample) }),
});

export const HealthScored = defineEvent({
  type: 'HealthScored',
  topic: 'perf.health-scored',
  version: 1,
  description: 'Health score 0-100 of a database, with the components that lowered it.',
  key: (d) => d.databaseId,
  schema: Type.Object({
    databaseId: Id,
    databaseName: Type.String(),
    score: Type.Integer({ minimum: 0, maximum: 100 }),
    status: Type.Union([Type.Literal('healthy'), Type.Literal('warning'), Type.Literal('critical')]),
    components: Type.Array(Type.Object({ name: Type.String(), penalty: Type.Number({ minimum: 0 }), detail: Type.String() })),
    scoredAt: Timestamp,
  }),
});

export const SlowQueryDetected = defineEvent({
  type: 'SlowQueryDetected',
  topic: 'perf.slow-queries',
  version: 1,
  description: 'A statement of a database became slow (mean time at or above 1 s in an interval) for the first time.',
  key: (d) => d.databaseId,
  schema: Type.Object({
    databaseId: Id,
    databaseName: Type.String(),
    queryId: Type.String({ minLength: 1 }),
    /** Normalised by pg_stat_statements: parameters, never literal values. */
    query: Type.String(),
    calls: Type.Integer({ minimum: 0 }),
    meanMs: Type.Number({ minimum: 0 }),
    severity: Type.Union([Type.Literal('warning'), Type.Literal('critical')]),
    detectedAt: Timestamp,
  }),
});

export const ApmMetricsReceived = defineEvent({
  type: 'ApmMetricsReceived',
  topic: 'apm.metrics',
  version: 1,
  description: 'Application metrics pushed over OTLP, summarised per service.',
  key: (d) => d.service,
  schema: Type.Object({ service: Type.String({ minLength: 1 }), receivedAt: Timestamp, samples: Type.Array(Sample) }),
});
