// Deadline watch (a job): a request with receipts still missing near or past its deadline, and a
// breach not yet notified near or past its 72 hours, raise GdprDeadlineWarning (once per state).
import { GdprDeadlineWarning, type Outbox } from '@vigil/events';
import type { Pool } from 'pg';
import { markBreachWarned, unnotifiedBreachesBefore } from '../db/breaches.js';
import { missingServices, openRequestsNearDeadline, updateRequest } from '../db/requests.js';
import { withTransaction } from '@vigil/service-kit';
import { deadlineState } from '../domain/deadlines.js';

export interface WatchDeps {
  pool: Pool;
  outbox: Outbox;
  requestWarnMs: number;
  breachWarnMs: number;
}

export async function watchDeadlines(deps: WatchDeps, now = new Date()): Promise<number> {
  return withTransaction(deps.pool, async (tx) => {
    let raised = 0;
    for (const r of await openRequestsNearDeadline(tx, new Date(now.getTime() + deps.requestWarnMs))) {
      const deadline = new Date(r.extendedDeadline ?? r.deadline);
      const state = deadlineState(now, deadline, deps.requestWarnMs);
      if (state === 'ok' || r.warnedState === state) continue;
      const missing = await missingServices(tx, r.id);
      if (!missing.length) continue;
      await deps.outbox.enqueue(
        tx,
        GdprDeadlineWarning,
        {
          subject: 'request',
          refId: r.id,
          state,
          deadline: deadline.toISOString(),
          detail: `${r.kind} request ${state === 'missed' ? 'missed its deadline' : 'is due soon'}; no receipt yet from: ${missing.join(', ')}`,
        },
        { tenantId: r.tenantId },
      );
      await updateRequest(tx, r.id, { warnedState: state });
      raised++;
    }
    for (const b of await unnotifiedBreachesBefore(tx, new Date(now.getTime() + deps.breachWarnMs))) {
      const state = deadlineState(now, new Date(b.notifyDeadline), deps.breachWarnMs);
      if (state === 'ok' || b.warnedState === state) continue;
      await deps.outbox.enqueue(
        tx,
        GdprDeadlineWarning,
        {
          subject: 'breach',
          refId: b.id,
          state,
          deadline: b.notifyDeadline,
          detail: `breach "${b.title}": supervisory authority ${state === 'missed' ? 'not notified within 72 hours' : 'notification due soon'} (Art. 33(1))`,
        },
        { tenantId: b.tenantId },
      );
      await markBreachWarned(tx, b.id, state);
      raised++;
    }
    return raised;
  });
}
