// TypeBox schemas shared by the alerting routes.
import { Type } from '@sinclair/typebox';

export const LabelSet = Type.Record(Type.String({ pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$', maxLength: 200 }), Type.String({ maxLength: 4000 }), {
  additionalProperties: false,
  description: 'Label names match [a-zA-Z_][a-zA-Z0-9_]*',
});
export const State = Type.Union([Type.Literal('firing'), Type.Literal('acknowledged'), Type.Literal('resolved')]);
export const Alert = Type.Object({
  id: Type.String(),
  fingerprint: Type.String(),
  state: State,
  severity: Type.String(),
  labels: Type.Record(Type.String(), Type.String()),
  annotations: Type.Record(Type.String(), Type.String()),
  source: Type.String(),
  ruleId: Type.Union([Type.String(), Type.Null()]),
  generatorUrl: Type.Union([Type.String(), Type.Null()]),
  startsAt: Type.String(),
  endsAt: Type.Union([Type.String(), Type.Null()]),
  acknowledgedAt: Type.Union([Type.String(), Type.Null()]),
  acknowledgedBy: Type.Union([Type.String(), Type.Null()]),
  resolvedAt: Type.Union([Type.String(), Type.Null()]),
});
export const HistoryEntry = Type.Object({
  alertId: Type.String(),
  from: Type.Union([State, Type.Null()]),
  to: State,
  actor: Type.String(),
  note: Type.Union([Type.String(), Type.Null()]),
  at: Type.String(),
});
const Uuid = Type.String({ format: 'uuid' });
const Name = Type.String({ pattern: '^[A-Za-z0-9_.-]{1,100}$' });
export const AlertParams = Type.Object({ alertId: Uuid });
export const RuleParams = Type.Object({ ruleId: Uuid });
export const SilenceParams = Type.Object({ silenceId: Uuid });
export const ReceiverParams = Type.Object({ receiverName: Name });
export const PolicyParams = Type.Object({ policyName: Name });
export const Note = Type.Object({ note: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false });
