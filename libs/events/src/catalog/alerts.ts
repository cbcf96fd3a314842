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

export const NotificationDeadLettered = defineEvent({
  type: 'NotificationDeadLettered',
  topic: 'alerts.notification-dead-lettered',
  version: 1,
  description: 'alerting gave up on a notification (attempts exhausted or a permanent error); its rules raise an alert from it.',
  key: (d) => d.receiver,
  schema: Type.Object({
    notificationId: Id,
    receiver: Type.String({ minLength: 1 }),
    kind: Type.String({ minLength: 1 }),
    attempts: Type.Integer({ minimum: 0 }),
    lastStatus: Type.Union([Type.Integer(), Type.Null()]),
    error: Type.String(),
    deadAt: Timestamp,
  }),
});
