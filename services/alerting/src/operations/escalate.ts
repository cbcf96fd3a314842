// Escalation: unacknowledged alerts move along their policy, one notification per step.
import { withTransaction } from '@vigil/service-kit';
import { getAlert, recordHistory } from '../db/alerts.js';
import { getReceiver } from '../db/config.js';
import { advanceEscalation, claimDueEscalations } from '../db/escalations.js';
import { enqueueNotification } from '../db/notifications.js';
import { renderRequest, type GroupNotice } from '../domain/notify-formats.js';
import type { DispatchDeps } from './deps.js';
import { toNotice } from './flush-groups.js';

const BATCH = 50;

/** Unacknowledged alerts move along their escalation policy. */
export async function escalateDue(deps: DispatchDeps): Promise<number> {
  let sent = 0;
  const n = await withTransaction(deps.pool, async (tx) => {
    const due = await claimDueEscalations(tx, BATCH);
    for (const e of due) {
      const routing = await deps.lifecycle.routing.get(e.tenantId, tx);
      const policy = routing.policies.get(e.policy);
      const alert = await getAlert(tx, e.tenantId, e.alertId);
      const step = policy?.steps[e.step];
      if (!policy || !step || !alert || alert.state !== 'firing') {
        await advanceEscalation(tx, e, undefined);
        continue;
      }
      const receiver = await getReceiver(tx, e.tenantId, step.receiver);
      if (receiver) {
        const key = `esc:${e.alertId}:${e.policy}:${e.round}:${e.step}`;
        const notice: GroupNotice = {
          tenantId: e.tenantId, receiver: step.receiver, groupKey: `escalation:${e.policy}:${alert.fingerprint}`,
          groupLabels: { alertname: alert.labels.alertname ?? '' }, alerts: [toNotice(alert)], externalUrl: deps.externalUrl,
        };
        if (await enqueueNotification(tx, { tenantId: e.tenantId, receiver: step.receiver, kind: receiver.kind, idempotencyKey: key, ...renderRequest(notice, receiver, key), alertIds: [alert.id] })) sent++;
      }
      // The alert's history shows each step it went through (the console's "escalated" entries).
      const note = `step ${e.step + 1} of ${policy.steps.length} (policy ${policy.name}${e.round ? `, round ${e.round + 1}` : ''}): ${receiver ? `notified ${step.receiver}` : `receiver ${step.receiver} does not exist`}`;
      await recordHistory(tx, e.tenantId, [{ alertId: alert.id, from: 'firing', to: 'firing', actor: `escalation:${policy.name}`, note, event: 'escalated' }]);
      const nextStep = e.step + 1 < policy.steps.length ? { step: e.step + 1, round: e.round } : e.round < policy.repeat ? { step: 0, round: e.round + 1 } : undefined;
      await advanceEscalation(tx, e, nextStep && { ...nextStep, afterMs: policy.steps[nextStep.step]!.afterMinutes * 60_000 });
    }
    return due.length;
  });
  if (sent) deps.wakeDelivery();
  return n;
}
