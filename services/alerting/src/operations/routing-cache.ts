// A tenant's routing document and escalation policies, compiled and cached briefly in process.
import type { Pool, PoolClient } from 'pg';
import { getRouting, listPolicies, type EscalationPolicy } from '../db/config.js';
import { compileRoute, DEFAULT_ROUTING, type Compiled, type InhibitRule } from '../domain/routing.js';

export interface TenantRouting {
  root: Compiled;
  inhibitRules: InhibitRule[];
  policies: Map<string, EscalationPolicy>;
}

const TTL_MS = 2_000;

export class RoutingCache {
  private readonly entries = new Map<string, { at: number; value: Promise<TenantRouting> }>();
  /** `db` is the caller's transaction, so a load never waits for a second connection. */
  get(tenantId: string, db: Pool | PoolClient): Promise<TenantRouting> {
    const hit = this.entries.get(tenantId);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.value;
    const value = this.load(tenantId, db);
    this.entries.set(tenantId, { at: Date.now(), value });
    value.catch(() => this.entries.delete(tenantId));
    return value;
  }

  invalidate(tenantId: string): void {
    this.entries.delete(tenantId);
  }

  private async load(tenantId: string, db: Pool | PoolClient): Promise<TenantRouting> {
    const doc = await getRouting(db, tenantId);
    const policies = await listPolicies(db, tenantId);
    const cfg = doc ?? DEFAULT_ROUTING;
    // References were checked when the document was stored; a later deletion must not break ingestion.
    return { root: compileRoute(cfg.route, null, null), inhibitRules: cfg.inhibit_rules, policies: new Map(policies.map((p) => [p.name, p])) };
  }
}
