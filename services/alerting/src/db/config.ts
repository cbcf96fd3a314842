// SQL for a tenant's notification setup: receivers, the routing document, escalation policies.
import type { Pool, PoolClient } from 'pg';
import type { ReceiverConfig } from '../domain/receivers.js';
import type { InhibitRule, RouteSpec, RoutingConfig } from '../domain/routing.js';
import { prepared } from './statement.js';

type Db = Pool | PoolClient;

export async function putReceiver(db: Db, tenantId: string, name: string, cfg: ReceiverConfig): Promise<void> {
  await db.query(
    `INSERT INTO alerting.receivers (tenant_id, name, kind, config) VALUES ($1, $2, $3, $4)
     ON CONFLICT (tenant_id, name) DO UPDATE SET kind = EXCLUDED.kind, config = EXCLUDED.config, updated_at = now()`,
    [tenantId, name, cfg.kind, JSON.stringify(cfg)],
  );
}

export async function listReceivers(db: Db, tenantId: string): Promise<{ name: string; config: ReceiverConfig }[]> {
  const { rows } = await db.query(`SELECT name, config FROM alerting.receivers WHERE tenant_id = $1 ORDER BY name`, [tenantId]);
  return rows.map((r) => ({ name: r.name, config: r.config }));
}

const sqlGetReceiver = prepared('get_receiver', `SELECT config FROM alerting.receivers WHERE tenant_id = $1 AND name = $2`);

export async function getReceiver(db: Db, tenantId: string, name: string): Promise<ReceiverConfig | undefined> {
  const { rows } = await db.query(sqlGetReceiver([tenantId, name]));
  return rows[0]?.config as ReceiverConfig | undefined;
}

export async function deleteReceiver(db: Db, tenantId: string, name: string): Promise<boolean> {
  const { rowCount } = await db.query(`DELETE FROM alerting.receivers WHERE tenant_id = $1 AND name = $2`, [tenantId, name]);
  return (rowCount ?? 0) > 0;
}

export async function getRouting(db: Db, tenantId: string): Promise<RoutingConfig | undefined> {
  const { rows } = await db.query(`SELECT route, inhibit_rules FROM alerting.routing WHERE tenant_id = $1`, [tenantId]);
  return rows[0] ? { route: rows[0].route as RouteSpec, inhibit_rules: rows[0].inhibit_rules as InhibitRule[] } : undefined;
}

export async function putRouting(db: Db, tenantId: string, cfg: RoutingConfig): Promise<void> {
  await db.query(
    `INSERT INTO alerting.routing (tenant_id, route, inhibit_rules) VALUES ($1, $2, $3)
     ON CONFLICT (tenant_id) DO UPDATE SET route = EXCLUDED.route, inhibit_rules = EXCLUDED.inhibit_rules, updated_at = now()`,
    [tenantId, JSON.stringify(cfg.route), JSON.stringify(cfg.inhibit_rules)],
  );
}

export interface EscalationPolicy {
  name: string;
  steps: { afterMinutes: number; receiver: string }[];
  repeat: number;
}

export async function putPolicy(db: Db, tenantId: string, p: EscalationPolicy): Promise<void> {
  await db.query(
    `INSERT INTO alerting.escalation_policies (tenant_id, name, steps, repeat) VALUES ($1, $2, $3, $4)
     ON CONFLICT (tenant_id, name) DO UPDATE SET steps = EXCLUDED.steps, repeat = EXCLUDED.repeat, updated_at = now()`,
    [tenantId, p.name, JSON.stringify(p.steps), p.repeat],
  );
}

export async function listPolicies(db: Db, tenantId: string): Promise<EscalationPolicy[]> {
  const { rows } = await db.query(`SELECT name, steps, repeat FROM alerting.escalation_policies WHERE tenant_id = $1 ORDER BY name`, [tenantId]);
  return rows.map((r) => ({ name: r.name, steps: r.steps, repeat: r.repeat }));
}

export async function getPolicy(db: Db, tenantId: string, name: string): Promise<EscalationPolicy | undefined> {
  return (await listPolicies(db, tenantId)).find((p) => p.name === name);
}
