// Weekly report schedules: create (the signing secret shown once), list, delete, deliver to the
// webhook (now, or when due), with a delivery record of every attempt.
import { randomBytes, randomUUID } from 'node:crypto';
import { openSecret, sealSecret } from '@vigil/privacy';
import { withTransaction } from '@vigil/service-kit';
import { postWebhook } from '../clients/report-webhook.js';
import {
  deleteSchedule,
  getSchedule,
  insertDelivery,
  insertSchedule,
  listDeliveries,
  listSchedules,
  lockDueSchedules,
  setNextRun,
  type DeliveryRow,
  type ScheduleRow,
} from '../db/report-schedules.js';
import type { Db } from '../db/queryable.js';
import { reportCsv } from '../domain/report-csv.js';
import { nextWeeklyRun, signBody, webhookUrlProblem, weekBefore } from '../domain/report-schedule.js';
import type { Period } from '../domain/executive-report.js';
import { scheduleInvalid, scheduleNotFound } from '../errors.js';
import type { ConsoleDeps } from './deps.js';
import { executiveReportFor } from './executive-report.js';
import type { ActiveSession } from './sessions.js';

const SEAL_CONTEXT = 'console.report-schedule';

export interface ScheduleInput {
  name: string;
  webhookUrl: string;
  dayOfWeek: number;
  hour: number;
  format: 'json' | 'csv';
}

const view = ({ secretSealed: _s, tenantId: _t, ...rest }: ScheduleRow) => rest;
export type ScheduleView = ReturnType<typeof view>;

export async function createSchedule(deps: ConsoleDeps, s: ActiveSession, input: ScheduleInput, now = new Date()): Promise<{ schedule: ScheduleView; secret: string }> {
  const problem = webhookUrlProblem(input.webhookUrl);
  if (problem) throw scheduleInvalid(problem);
  const secret = `whsec_${randomBytes(24).toString('base64url')}`;
  const row = await insertSchedule(deps.pool, {
    id: randomUUID(),
    tenantId: s.tenantId,
    name: input.name.trim(),
    webhookUrl: input.webhookUrl,
    secretSealed: sealSecret(secret, deps.config.CONSOLE_SESSION_SECRET, SEAL_CONTEXT),
    dayOfWeek: input.dayOfWeek,
    hour: input.hour,
    format: input.format,
    nextRunAt: nextWeeklyRun(input, now).toISOString(),
    createdBy: s.userId,
  });
  return { schedule: view(row), secret };
}

export async function schedulesOf(deps: ConsoleDeps, s: ActiveSession) {
  return { items: (await listSchedules(deps.pool, s.tenantId)).map(view), nextCursor: null };
}

export async function removeSchedule(deps: ConsoleDeps, s: ActiveSession, id: string): Promise<void> {
  if (!(await deleteSchedule(deps.pool, s.tenantId, id))) throw scheduleNotFound(id);
}

export async function deliveriesOf(deps: ConsoleDeps, s: ActiveSession, id: string) {
  if (!(await getSchedule(deps.pool, s.tenantId, id))) throw scheduleNotFound(id);
  return { items: await listDeliveries(deps.pool, s.tenantId, id, 50), nextCursor: null };
}

/** Computes the report for the period and posts it, signed; every attempt is recorded, failed or not. */
async function deliver(deps: ConsoleDeps, db: Db, schedule: ScheduleRow, period: Period, signal?: AbortSignal): Promise<DeliveryRow> {
  const started = Date.now();
  const id = randomUUID();
  let httpStatus: number | null = null;
  let error: string | null = null;
  try {
    const report = await executiveReportFor(deps, schedule.tenantId, period, new Date(), signal);
    const body = schedule.format === 'csv' ? reportCsv(report) : JSON.stringify({ type: 'vigil.executive-report', deliveryId: id, schedule: { id: schedule.id, name: schedule.name }, report });
    const secret = openSecret(schedule.secretSealed, deps.config.CONSOLE_SESSION_SECRET, SEAL_CONTEXT);
    const res = await postWebhook(schedule.webhookUrl, body, {
      'content-type': schedule.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json',
      'x-vigil-delivery': id,
      'x-vigil-signature': signBody(secret, body, new Date()),
    }, signal);
    httpStatus = res.status;
    if (res.status >= 300) error = `the receiver answered ${res.status}`;
  } catch (err) {
    error = (err as Error).message.slice(0, 500);
  }
  return insertDelivery(db, schedule.tenantId, {
    id,
    scheduleId: schedule.id,
    periodFrom: period.from.toISOString(),
    periodTo: period.to.toISOString(),
    status: error ? 'failed' : 'delivered',
    httpStatus,
    error,
    durationMs: Date.now() - started,
  });
}

/** "Send now": the seven days up to now. */
export async function sendScheduleNow(deps: ConsoleDeps, s: ActiveSession, id: string): Promise<DeliveryRow> {
  const schedule = await getSchedule(deps.pool, s.tenantId, id);
  if (!schedule) throw scheduleNotFound(id);
  return deliver(deps, deps.pool, schedule, weekBefore(new Date()));
}

/**
 * The singleton task: each due schedule reports the week before its due time and moves to its next
 * slot. The row stays locked while it is delivered, so no two runners send the same week.
 */
export async function deliverDueSchedules(deps: ConsoleDeps, signal?: AbortSignal): Promise<number> {
  let sent = 0;
  for (;;) {
    if (signal?.aborted) return sent;
    const done = await withTransaction(deps.pool, async (tx) => {
      const [due] = await lockDueSchedules(tx, 1);
      if (!due) return false;
      await deliver(deps, tx, due, weekBefore(new Date(due.nextRunAt)), signal);
      await setNextRun(tx, due.id, nextWeeklyRun(due, new Date()));
      return true;
    });
    if (!done) return sent;
    sent++;
  }
}
