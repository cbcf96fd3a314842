// The shape of a rule as stored and as accepted over the API (validated twice: shape by
// TypeBox, meaning by validateRule).
import { Type, type Static } from '@sinclair/typebox';

const Name = Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]{0,99}$', description: 'Becomes the alertname label' });
const LabelMap = Type.Record(Type.String({ pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$' }), Type.String({ maxLength: 1000 }), { default: {} });
const Annotations = Type.Object(
  {
    summary: Type.Optional(Type.String({ maxLength: 1000 })),
    description: Type.Optional(Type.String({ maxLength: 4000 })),
    runbook_url: Type.Optional(Type.String({ maxLength: 2000, pattern: '^https?://' })),
  },
  { additionalProperties: Type.String({ maxLength: 4000 }), default: {} },
);
export const SeverityLevel = Type.Union([Type.Literal('info'), Type.Literal('warning'), Type.Literal('critical')]);

export const ThresholdRuleSpec = Type.Object(
  {
    name: Name,
    kind: Type.Literal('threshold'),
    metric: Type.String({ minLength: 1, maxLength: 200, description: 'Sample name from perf.metrics, apm.metrics or health_score' }),
    matchers: Type.Optional(Type.Array(Type.String({ maxLength: 500 }), { maxItems: 20, description: 'Over the sample labels' })),
    op: Type.Union([Type.Literal('>'), Type.Literal('>='), Type.Literal('<'), Type.Literal('<=')]),
    levels: Type.Array(Type.Object({ severity: SeverityLevel, value: Type.Number() }, { additionalProperties: false }), { minItems: 1, maxItems: 3 }),
    for: Type.String({ default: '0s', description: 'How long the condition must hold before firing' }),
    labels: LabelMap,
    annotations: Annotations,
  },
  { additionalProperties: false },
);

export const EventRuleSpec = Type.Object(
  {
    name: Name,
    kind: Type.Literal('event'),
    event: Type.String({ minLength: 1, maxLength: 200, description: 'Event type, e.g. IssueOpened, or a custom type from POST /v1/events' }),
    matchers: Type.Optional(Type.Array(Type.String({ maxLength: 500 }), { maxItems: 20 })),
    resolveMatchers: Type.Optional(Type.Array(Type.String({ maxLength: 500 }), { maxItems: 20, description: 'An event of the same type matching these resolves the alert' })),
    resolveAfter: Type.Optional(Type.String({ description: 'Auto-resolve this long after the last matching event' })),
    severity: SeverityLevel,
    labels: LabelMap,
    annotations: Annotations,
  },
  { additionalProperties: false },
);

export const RuleSpec = Type.Union([ThresholdRuleSpec, EventRuleSpec]);
export type ThresholdRule = Static<typeof ThresholdRuleSpec>;
export type EventRule = Static<typeof EventRuleSpec>;
export type RuleSpec = Static<typeof RuleSpec>;
export type Severity = Static<typeof SeverityLevel>;
