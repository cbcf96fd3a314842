// SQL for alerting.alerts.
import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import type { AlertDraft } from '../domain/health-alert.js';

export interface AlertRow extends AlertDraft {
  id: string;
  state: 'firing' | 'acknowledged' | 'resolved';
  startsAt: string;
  resolvedAt: string | null;
}

const toRow = (r: Record<string, unknown>): AlertRow => ({
  id: r.id as string,
  fingerprint: r.fingerprint as string,
  state: r.state as AlertRow['state'],
  severity: r.severity as AlertRow['severity'],
  labels: r.labels as Record<string, string>,
  annotations: r.annotations as Record<string, string>,
  startsAt: (r.starts_at as Date).toISOString(),
  resolvedAt: r.resolved_at ? (r.resolved_at as Date).toISOString() : null,
});

/** Opens an alert or refreshes the open one with the same fingerprint. */
export async function upsertFiring(tx: PoolClient, tenantId: string, a: AlertDraft): Promise<void> {
  await tx.query(
    `INSERT INTO alerting.alerts (id, tenant_id, fingerprint, state, severity, labels, annotations, starts_at)
     VALUES ($1, $2, $3, 'firing', $4, $5, $6, now())
     ON CONFLICT (tenant_id, fingerprint) WHERE state <> 'resolved'
     DO UPDATE SET severity = EXCLUDED.severity, annotations = EXCLUDED.annotations, updated_at = now()`,
    [randomUUID(), tenantId, a.fingerprint, a.severity, JSON.stringify(a.labels), JSON.stringify(a.annotations)],
  );
}

export async function resolveOpen(tx: PoolClient, tenantId: string, fingerprint: string): Promise<void> {
  await tx.query(
    `UPDATE alerting.alerts SET state = 'resolved', resolved_at = now(), updated_at = now()
     WHERE tenant_id = $1 AND fingerprint = $2 AND state <> 'resolved'`,
    [tenantId, fingerprint],
  );
}

export async function listAlerts(pool: Pool, tenantId: string, state?: string): Promise<AlertRow[]> {
  const { rows } = await pool.query(
    `SELECT * FROM alerting.alerts WHERE tenant_id = $1 AND ($2::text IS NULL OR state = $2) ORDER BY starts_at DESC LIMIT 500`,
    [tenantId, state ?? null],
  );
  return rows.map(toRow);
}
