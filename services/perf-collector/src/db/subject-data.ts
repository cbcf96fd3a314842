// SQL for data subject requests: APM points whose attributes carry a subject identifier
// (an instrumented app may put enduser.id or an email into metric attributes).
import type { PoolClient } from 'pg';

const MATCH = `tenant_id = $1 AND EXISTS (SELECT 1 FROM jsonb_each_text(attributes) AS a(k, v) WHERE a.v = ANY($2::text[]))`;

export async function eraseApmPoints(tx: PoolClient, tenantId: string, values: string[]): Promise<number> {
  const res = await tx.query(`DELETE FROM perf.apm_points WHERE ${MATCH}`, [tenantId, values]);
  return res.rowCount ?? 0;
}

export async function exportApmPoints(tx: PoolClient, tenantId: string, values: string[]) {
  const { rows } = await tx.query(`SELECT service, metric, attributes, value, count, sum, at FROM perf.apm_points WHERE ${MATCH} ORDER BY at, service, metric`, [tenantId, values]);
  return rows.map((r) => ({ service: r.service, metric: r.metric, attributes: r.attributes, value: r.value, count: r.count, sum: r.sum, at: (r.at as Date).toISOString() }));
}
