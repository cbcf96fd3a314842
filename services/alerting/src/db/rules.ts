// SQL for alerting.rules and alerting.rule_pending.
import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { BUILTIN_TENANT } from '../domain/default-rules.js';
import type { RuleSpec } from '../domain/rule-schema.js';

type Db = Pool | PoolClient;

export interface RuleRow {
  id: string;
  name: string;
  kind: RuleSpec['kind'];
  spec: RuleSpec;
  enabled: boolean;
  builtin: boolean;
  updatedAt: string;
}

const toRule = (r: Record<string, unknown>): RuleRow => ({
  id: r.id as string,
  name: r.name as string,
  kind: r.kind as RuleSpec['kind'],
  spec: r.spec as RuleSpec,
  enabled: r.enabled as boolean,
  builtin: r.tenant_id === BUILTIN_TENANT,
  updatedAt: (r.updated_at as Date).toISOString(),
});

/** Ships the defaults: inserts missing builtins, refreshes changed ones. */
export async function syncBuiltinRules(db: Db, specs: RuleSpec[]): Promise<void> {
  for (const spec of specs) {
    await db.query(
      `INSERT INTO alerting.rules (id, tenant_id, name, kind, spec) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (tenant_id, name) DO UPDATE SET spec = EXCLUDED.spec, updated_at = now() WHERE rules.spec <> EXCLUDED.spec`,
      [randomUUID(), BUILTIN_TENANT, spec.name, spec.kind, JSON.stringify(spec)],
    );
  }
}

/** Rules a tenant evaluates: its own plus the builtins, enabled only. */
export async function activeRules(db: Db, tenantId: string, kind: RuleSpec['kind']): Promise<RuleRow[]> {
  const { rows } = await db.query(`SELECT * FROM alerting.rules WHERE tenant_id IN ($1, $2) AND kind = $3 AND enabled ORDER BY name`, [tenantId, BUILTIN_TENANT, kind]);
  return rows.map(toRule);
}

export async function listRules(db: Db, tenantId: string): Promise<RuleRow[]> {
  const { rows } = await db.query(`SELECT * FROM alerting.rules WHERE tenant_id IN ($1, $2) ORDER BY tenant_id = $2 DESC, name`, [tenantId, BUILTIN_TENANT]);
  return rows.map(toRule);
}

export async function getRule(db: Db, tenantId: string, id: string): Promise<RuleRow | undefined> {
  const { rows } = await db.query(`SELECT * FROM alerting.rules WHERE tenant_id IN ($1, $2) AND id = $3`, [tenantId, BUILTIN_TENANT, id]);
  return rows[0] ? toRule(rows[0]) : undefined;
}

/** Returns undefined when the tenant already has a rule of that name. */
export async function insertRule(db: Db, tenantId: string, spec: RuleSpec, enabled: boolean): Promise<RuleRow | undefined> {
  const { rows } = await db.query(
    `INSERT INTO alerting.rules (id, tenant_id, name, kind, spec, enabled) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tenant_id, name) DO NOTHING RETURNING *`,
    [randomUUID(), tenantId, spec.name, spec.kind, JSON.stringify(spec), enabled],
  );
  return rows[0] ? toRule(rows[0]) : undefined;
}

export async function updateRule(db: Db, tenantId: string, id: string, spec: RuleSpec, enabled: boolean): Promise<RuleRow | undefined> {
  const { rows } = await db.query(
    `UPDATE alerting.rules SET name = $3, kind = $4, spec = $5, enabled = $6, updated_at = now() WHERE tenant_id = $1 AND id = $2 RETURNING *`,
    [tenantId, id, spec.name, spec.kind, JSON.stringify(spec), enabled],
  );
  return rows[0] ? toRule(rows[0]) : undefined;
}

export async function deleteRule(db: Db, tenantId: string, id: string): Promise<boolean> {
  const { rowCount } = await db.query(`DELETE FROM alerting.rules WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
  return (rowCount ?? 0) > 0;
}

export async function pendingSince(tx: PoolClient, tenantId: string, fingerprints: string[]): Promise<Map<string, Date>> {
  if (!fingerprints.length) return new Map();
  const { rows } = await tx.query(`SELECT fingerprint, since FROM alerting.rule_pending WHERE tenant_id = $1 AND fingerprint = ANY($2)`, [tenantId, fingerprints]);
  return new Map(rows.map((r) => [r.fingerprint as string, r.since as Date]));
}

export async function setPending(tx: PoolClient, tenantId: string, fingerprint: string, since: Date): Promise<void> {
  await tx.query(`INSERT INTO alerting.rule_pending (tenant_id, fingerprint, since) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [tenantId, fingerprint, since]);
}

export async function clearPending(tx: PoolClient, tenantId: string, fingerprints: string[]): Promise<void> {
  if (fingerprints.length) await tx.query(`DELETE FROM alerting.rule_pending WHERE tenant_id = $1 AND fingerprint = ANY($2)`, [tenantId, fingerprints]);
}

export interface RuleEvaluation {
  ruleId: string;
  evaluatedAt: Date;
  value: number | null;
  labels: Record<string, string>;
  outcome: 'fire' | 'pending' | 'ok';
}

/** Each rule's latest evaluation for the tenant (one row per rule, overwritten). */
export async function recordEvaluations(tx: PoolClient, tenantId: string, evals: RuleEvaluation[]): Promise<void> {
  if (!evals.length) return;
  const sorted = [...evals].sort((a, b) => (a.ruleId < b.ruleId ? -1 : 1));
  await tx.query(
    `INSERT INTO alerting.rule_evaluations (tenant_id, rule_id, evaluated_at, value, labels, outcome)
     SELECT $1, * FROM unnest($2::uuid[], $3::timestamptz[], $4::float8[], $5::jsonb[], $6::text[])
     ON CONFLICT (tenant_id, rule_id) DO UPDATE SET evaluated_at = EXCLUDED.evaluated_at, value = EXCLUDED.value, labels = EXCLUDED.labels, outcome = EXCLUDED.outcome`,
    [tenantId, sorted.map((e) => e.ruleId), sorted.map((e) => e.evaluatedAt), sorted.map((e) => e.value), sorted.map((e) => JSON.stringify(e.labels)), sorted.map((e) => e.outcome)],
  );
}

export interface RuleStatus {
  lastEvaluatedAt: string | null;
  lastValue: number | null;
  lastLabels: Record<string, string>;
  lastOutcome: RuleEvaluation['outcome'] | null;
  /** Open (firing or acknowledged) alerts the rule raised. */
  openAlerts: number;
}

/** The tenant's evaluation state of every rule it evaluates, by rule id. */
export async function ruleStatuses(db: Db, tenantId: string): Promise<Map<string, RuleStatus>> {
  const [evals, open] = await Promise.all([
    db.query(`SELECT rule_id, evaluated_at, value, labels, outcome FROM alerting.rule_evaluations WHERE tenant_id = $1`, [tenantId]),
    db.query(`SELECT rule_id, count(*)::int AS n FROM alerting.alerts WHERE tenant_id = $1 AND state <> 'resolved' AND rule_id IS NOT NULL GROUP BY rule_id`, [tenantId]),
  ]);
  const out = new Map<string, RuleStatus>();
  const get = (id: string) => out.get(id) ?? { lastEvaluatedAt: null, lastValue: null, lastLabels: {}, lastOutcome: null, openAlerts: 0 };
  for (const r of evals.rows) out.set(r.rule_id, { ...get(r.rule_id), lastEvaluatedAt: (r.evaluated_at as Date).toISOString(), lastValue: r.value, lastLabels: r.labels, lastOutcome: r.outcome });
  for (const r of open.rows) out.set(r.rule_id, { ...get(r.rule_id), openAlerts: r.n });
  return out;
}
