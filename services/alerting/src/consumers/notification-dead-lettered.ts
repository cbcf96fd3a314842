// alerting's own NotificationDeadLettered events, evaluated like any other signal (the builtin
// rule of that name raises the alert), once per event (inbox).
import { handleOnce, NotificationDeadLettered, type EventBus } from '@vigil/events';
import type { Pool } from 'pg';
import { deadLetterSignal } from '../domain/signals.js';
import { evaluateSignal } from '../operations/evaluate.js';
import type { Lifecycle } from '../operations/lifecycle.js';

export const DEAD_LETTER_CONSUMER = 'notification-dead-lettered';

export function subscribeDeadLetters(bus: EventBus, pool: Pool, lc: Lifecycle): void {
  bus.subscribe(NotificationDeadLettered, async (e) => {
    await handleOnce({ pool, schema: 'alerting', consumer: DEAD_LETTER_CONSUMER }, e, async (tx) => {
      await evaluateSignal(tx, lc, e.tenantId, deadLetterSignal(e.data), DEAD_LETTER_CONSUMER);
    });
  });
}
