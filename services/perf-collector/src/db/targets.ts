// SQL for perf.targets and perf.target_baselines.
import type { Pool, PoolClient } from 'pg';
import type { Baseline } from '../domain/cycle-metrics.js';

export type TargetStatus = 'pending' | 'ok' | 'degraded' | 'unreachable' | 'timeout' | 'error';

export interface TargetRow {
  id: string;
  tenantId: string;
  name: string;
  /** The connection string, sealed (sealSecret, context perf.target-dsn). */
  connSealed: string;
  intervalS: number;
  diskLimitBytes: number | null;
  status: TargetStatus;
  statusDetail: string;
  serverVersion: number | null;
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
  nextDueAt: string;
  createdAt: string;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function toTarget(r: Record<string, unknown>): TargetRow {
  return {
    id: r.id as string,
    tenantId: r.tenant_id as string,
    name: r.name as string,
    connSealed: r.conn_sealed as string,
    intervalS: r.interval_s as number,
    diskLimitBytes: r.disk_limit_bytes === null ? null : Number(r.disk_limit_bytes),
    status: r.status as TargetStatus,
    statusDetail: r.status_detail as string,
    serverVersion: r.server_version as number | null,
    lastAttemptAt: iso(r.last_attempt_at as Date | null),
    lastSuccessAt: iso(r.last_success_at as Date | null),
    nextDueAt: (r.next_due_at as Date).toISOString(),
    createdAt: (r.created_at as Date).toISOString(),
  };
}

export async function insertTarget(
  pool: Pool,
  t: { id: string; tenantId: string; name: string; connSealed: string; intervalS: number; diskLimitBytes: number | null },
): Promise<TargetRow | undefined> {
  const { rows } = await pool.query(
    `INSERT INTO perf.targets (id, tenant_id, name, conn_sealed, interval_s, disk_limit_bytes) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (tenant_id, name) DO NOTHING RETURNING *`,
    [t.id, t.tenantId, t.name, t.connSealed, t.intervalS, t.diskLimitBytes],
  );
  return rows[0] ? toTarget(rows[0]) : undefined;
}

export async function listTargets(pool: Pool, tenantId: string): Promise<TargetRow[]> {
  const { rows } = await pool.query(`SELECT * FROM perf.targets WHERE tenant_id = $1 ORDER BY name`, [tenantId]);
  return rows.map(toTarget);
}

export async function getTarget(pool: Pool, tenantId: string, id: string): Promise<TargetRow | undefined> {
  const { rows } = await pool.query(`SELECT * FROM perf.targets WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
  return rows[0] ? toTarget(rows[0]) : undefined;
}

export async function updateTargetSettings(pool: Pool, tenantId: string, id: string, s: { intervalS?: number; diskLimitBytes?: number | null; connSealed?: string }) {
  const { rows } = await pool.query(
    `UPDATE perf.targets SET interval_s = coalesce($3, interval_s),
       disk_limit_bytes = CASE WHEN $4::boolean THEN $5 ELSE disk_limit_bytes END,
       conn_sealed = coalesce($6, conn_sealed), next_due_at = now()
     WHERE tenant_id = $1 AND id = $2 RETURNING *`,
    [tenantId, id, s.intervalS ?? null, s.diskLimitBytes !== undefined, s.diskLimitBytes ?? null, s.connSealed ?? null],
  );
  return rows[0] ? toTarget(rows[0]) : undefined;
}

const TARGET_DATA = ['metric_samples', 'metric_rollups_hourly', 'table_sizes', 'query_stats', 'statement_texts', 'slow_queries', 'recommendations', 'optimizations'];

/** Removes a target with everything collected from it, in the caller's transaction (health scores stay: they are keyed by database id for pushed snapshots too). */
export async function deleteTarget(tx: PoolClient, tenantId: string, id: string): Promise<boolean> {
  const res = await tx.query(`DELETE FROM perf.targets WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
  if (res.rowCount) for (const table of TARGET_DATA) await tx.query(`DELETE FROM perf.${table} WHERE tenant_id = $1 AND target_id = $2`, [tenantId, id]);
  return (res.rowCount ?? 0) > 0;
}

/** Claims up to `limit` due targets, pushing their next due time one interval ahead (safe with several instances). */
export async function claimDueTargets(pool: Pool, limit: number, exclude: string[]): Promise<TargetRow[]> {
  if (limit <= 0) return [];
  const { rows } = await pool.query(
    `UPDATE perf.targets t SET next_due_at = now() + make_interval(secs => t.interval_s), last_attempt_at = now()
     WHERE t.id IN (SELECT id FROM perf.targets WHERE next_due_at <= now() AND NOT (id = ANY($2::text[]))
                    ORDER BY next_due_at LIMIT $1 FOR UPDATE SKIP LOCKED)
     RETURNING t.*`,
    [limit, exclude],
  );
  return rows.map(toTarget);
}

export async function setTargetStatus(q: Pool | PoolClient, id: string, status: TargetStatus, detail: string, serverVersion?: number): Promise<void> {
  await q.query(
    `UPDATE perf.targets SET status = $2, status_detail = $3, server_version = coalesce($4, server_version),
       last_attempt_at = now(), last_success_at = CASE WHEN $2 IN ('ok', 'degraded') THEN now() ELSE last_success_at END
     WHERE id = $1`,
    [id, status, detail.slice(0, 1000), serverVersion ?? null],
  );
}

export async function loadBaseline(pool: Pool, targetId: string): Promise<Baseline | undefined> {
  const { rows } = await pool.query(`SELECT taken_at, database, statements FROM perf.target_baselines WHERE target_id = $1`, [targetId]);
  const r = rows[0];
  if (!r) return undefined;
  return {
    takenAt: (r.taken_at as Date).toISOString(),
    database: r.database,
    statements: r.statements.rows,
    statementsResetAt: r.statements.resetAt,
    sizesAt: r.statements.sizesAt ?? null,
  };
}

export async function saveBaseline(tx: PoolClient, targetId: string, b: Baseline): Promise<void> {
  await tx.query(
    `INSERT INTO perf.target_baselines (target_id, taken_at, database, statements) VALUES ($1, $2, $3, $4)
     ON CONFLICT (target_id) DO UPDATE SET taken_at = EXCLUDED.taken_at, database = EXCLUDED.database, statements = EXCLUDED.statements`,
    [targetId, b.takenAt, JSON.stringify(b.database), JSON.stringify({ resetAt: b.statementsResetAt ?? null, sizesAt: b.sizesAt ?? null, rows: b.statements })],
  );
}
