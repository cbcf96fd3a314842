// alerting: every alert state change, for audit and downstream automation.
import { Type } from '@sinclair/typebox';
import { defineEvent } from '../define.js';
import { Id, Labels, Severity, Timestamp } from './common.js';

export const AlertStateChanged = defineEvent({
  type: 'AlertStateChanged',
  topic: 'alerts.state-changed',
  version: 1,
  description: 'An alert fired, was acknowledged or resolved.',
  key: (d) => d.fingerprint,
  schema: Type.Object({
    alertId: Id,
    fingerprint: Type.String({ minLength: 1 }),
    state: Type.Union([Type.Literal('firing'), Type.Literal('acknowledged'), Type.Literal('resolved')]),
    severity: Severity,
    labels: Labels,
    annotations: Labels,
    changedAt: Timestamp,
  }),
});
