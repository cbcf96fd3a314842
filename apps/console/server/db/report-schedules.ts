// SQL for console.report_schedules and console.report_deliveries.
import type { Db } from './queryable.js';

export interface ScheduleRow {
  id: string;
  tenantId: string;
  name: string;
  webhookUrl: string;
  secretSealed: string;
  dayOfWeek: number;
  hour: number;
  format: 'json' | 'csv';
  nextRunAt: string;
  createdAt: string;
}

export interface DeliveryRow {
  id: string;
  scheduleId: string;
  periodFrom: string;
  periodTo: string;
  status: 'delivered' | 'failed';
  httpStatus: number | null;
  error: string | null;
  attemptedAt: string;
  durationMs: number;
}

const iso = (v: unknown) => (v as Date).toISOString();
const toSchedule = (r: Record<string, unknown>): ScheduleRow => ({
  id: r.id as string,
  tenantId: r.tenant_id as string,
  name: r.name as string,
  webhookUrl: r.webhook_url as string,
  secretSealed: r.secret_sealed as string,
  dayOfWeek: r.day_of_week as number,
  hour: r.hour as number,
  format: r.format as 'json' | 'csv',
  nextRunAt: iso(r.next_run_at),
  createdAt: iso(r.created_at),
});
const toDelivery = (r: Record<string, unknown>): DeliveryRow => ({
  id: r.id as string,
  scheduleId: r.schedule_id as string,
  periodFrom: iso(r.period_from),
  periodTo: iso(r.period_to),
  status: r.status as 'delivered' | 'failed',
  httpStatus: (r.http_status as number | null) ?? null,
  error: (r.error as string | null) ?? null,
  attemptedAt: iso(r.attempted_at),
  durationMs: r.duration_ms as number,
});

export async function insertSchedule(db: Db, s: Omit<ScheduleRow, 'createdAt'> & { createdBy: string }): Promise<ScheduleRow> {
  const { rows } = await db.query(
    `INSERT INTO console.report_schedules (id, tenant_id, name, webhook_url, secret_sealed, day_of_week, hour, format, next_run_at, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
    [s.id, s.tenantId, s.name, s.webhookUrl, s.secretSealed, s.dayOfWeek, s.hour, s.format, s.nextRunAt, s.createdBy],
  );
  return toSchedule(rows[0]);
}

export async function listSchedules(db: Db, tenantId: string): Promise<ScheduleRow[]> {
  const { rows } = await db.query(`SELECT * FROM console.report_schedules WHERE tenant_id = $1 AND deleted_at IS NULL ORDER BY created_at, id`, [tenantId]);
  return rows.map(toSchedule);
}

export async function getSchedule(db: Db, tenantId: string, id: string): Promise<ScheduleRow | undefined> {
  const { rows } = await db.query(`SELECT * FROM console.report_schedules WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL`, [tenantId, id]);
  return rows[0] ? toSchedule(rows[0]) : undefined;
}

export async function deleteSchedule(db: Db, tenantId: string, id: string): Promise<boolean> {
  const { rowCount } = await db.query(`UPDATE console.report_schedules SET deleted_at = now() WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL`, [tenantId, id]);
  return (rowCount ?? 0) > 0;
}

/** Due schedules of every tenant, locked so that a second runner skips them. */
export async function lockDueSchedules(db: Db, limit: number): Promise<ScheduleRow[]> {
  const { rows } = await db.query(
    `SELECT * FROM console.report_schedules WHERE deleted_at IS NULL AND next_run_at <= now() ORDER BY next_run_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
    [limit],
  );
  return rows.map(toSchedule);
}

export async function setNextRun(db: Db, id: string, nextRunAt: Date): Promise<void> {
  await db.query(`UPDATE console.report_schedules SET next_run_at = $2 WHERE id = $1`, [id, nextRunAt]);
}

export async function insertDelivery(db: Db, tenantId: string, d: Omit<DeliveryRow, 'attemptedAt'>): Promise<DeliveryRow> {
  const { rows } = await db.query(
    `INSERT INTO console.report_deliveries (id, schedule_id, tenant_id, period_from, period_to, status, http_status, error, duration_ms)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
    [d.id, d.scheduleId, tenantId, d.periodFrom, d.periodTo, d.status, d.httpStatus, d.error, d.durationMs],
  );
  return toDelivery(rows[0]);
}

export async function listDeliveries(db: Db, tenantId: string, scheduleId: string, limit: number): Promise<DeliveryRow[]> {
  const { rows } = await db.query(
    `SELECT * FROM console.report_deliveries WHERE tenant_id = $1 AND schedule_id = $2 ORDER BY attempted_at DESC, id LIMIT $3`,
    [tenantId, scheduleId, limit],
  );
  return rows.map(toDelivery);
}
