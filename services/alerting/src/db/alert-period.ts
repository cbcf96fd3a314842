// SQL for the alerts that were open at some moment of a period (reports: MTTA, MTTR, availability).
import type { Pool } from 'pg';
import { toAlert, type AlertRow } from './alerts.js';

export interface PeriodPage {
  from: Date;
  to: Date;
  /** Keyset position: the last row of the previous page. */
  after?: { startsAt: Date; id: string };
  limit: number;
}

/** Alerts open for at least an instant of [from, to): started before `to`, not resolved before `from`; oldest first. */
export async function alertsOpenDuring(db: Pool, tenantId: string, p: PeriodPage): Promise<AlertRow[]> {
  const { rows } = await db.query(
    `SELECT * FROM alerting.alerts
     WHERE tenant_id = $1 AND starts_at < $3 AND (resolved_at IS NULL OR resolved_at >= $2)
       AND ($4::timestamptz IS NULL OR (starts_at, id) > ($4, $5::uuid))
     ORDER BY starts_at, id LIMIT $6`,
    [tenantId, p.from, p.to, p.after?.startsAt ?? null, p.after?.id ?? null, p.limit],
  );
  return rows.map(toAlert);
}
