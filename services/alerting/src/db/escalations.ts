// SQL for alerting.escalations: where each unacknowledged alert stands in its policy.
import type { Pool, PoolClient } from 'pg';
import { replanned } from './statement.js';

export interface EscalationRow {
  alertId: string;
  tenantId: string;
  policy: string;
  step: number;
  round: number;
}

export async function startEscalation(tx: PoolClient, tenantId: string, alertId: string, policy: string, firstAfterMs: number): Promise<void> {
  await tx.query(
    `INSERT INTO alerting.escalations (alert_id, policy, tenant_id, next_at) VALUES ($1, $2, $3, now() + make_interval(secs => $4::double precision / 1000))
     ON CONFLICT DO NOTHING`,
    [alertId, policy, tenantId, firstAfterMs],
  );
}

const sqlStopEscalations = replanned(`DELETE FROM alerting.escalations WHERE alert_id = ANY($1::uuid[])`);

export async function stopEscalations(tx: PoolClient, alertIds: string | string[]): Promise<void> {
  await tx.query(sqlStopEscalations([typeof alertIds === 'string' ? [alertIds] : alertIds]));
}

export async function claimDueEscalations(tx: PoolClient, limit: number): Promise<EscalationRow[]> {
  const { rows } = await tx.query(
    `SELECT alert_id, tenant_id, policy, step, round FROM alerting.escalations WHERE next_at <= now() ORDER BY next_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
    [limit],
  );
  return rows.map((r) => ({ alertId: r.alert_id, tenantId: r.tenant_id, policy: r.policy, step: r.step, round: r.round }));
}

export async function advanceEscalation(tx: PoolClient, e: EscalationRow, next: { step: number; round: number; afterMs: number } | undefined): Promise<void> {
  if (!next) {
    await tx.query(`DELETE FROM alerting.escalations WHERE alert_id = $1 AND policy = $2`, [e.alertId, e.policy]);
    return;
  }
  await tx.query(
    `UPDATE alerting.escalations SET step = $3, round = $4, next_at = now() + make_interval(secs => $5::double precision / 1000) WHERE alert_id = $1 AND policy = $2`,
    [e.alertId, e.policy, next.step, next.round, next.afterMs],
  );
}

/** Where an alert stands in each policy it escalates along. */
export async function escalationsOf(db: Pool | PoolClient, alertId: string): Promise<(EscalationRow & { nextAt: string })[]> {
  const { rows } = await db.query(`SELECT alert_id, tenant_id, policy, step, round, next_at FROM alerting.escalations WHERE alert_id = $1 ORDER BY policy`, [alertId]);
  return rows.map((r) => ({ alertId: r.alert_id, tenantId: r.tenant_id, policy: r.policy, step: r.step, round: r.round, nextAt: (r.next_at as Date).toISOString() }));
}
