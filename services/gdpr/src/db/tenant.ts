// Transactions: tenant-scoped ones run as the RLS-bound role with app.tenant_id set,
// so a query that forgets its tenant filter still cannot see another tenant's rows.
import type { Pool, PoolClient } from 'pg';

export const TENANT_ROLE = 'vigil_gdpr_tenant';

async function transaction<T>(pool: Pool, begin: (tx: PoolClient) => string, fn: (tx: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(begin(client));
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** Makes an already open transaction tenant-scoped (used inside handleOnce). */
export async function scopeToTenant(tx: PoolClient, tenantId: string): Promise<void> {
  await tx.query(`SET LOCAL ROLE ${TENANT_ROLE}`);
  await tx.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
}

export function withTenant<T>(pool: Pool, tenantId: string, fn: (tx: PoolClient) => Promise<T>): Promise<T> {
  // One round trip for BEGIN and the scope (a multi-statement query cannot take parameters, hence the escaped literal).
  return transaction(pool, (tx) => `BEGIN; SET LOCAL ROLE ${TENANT_ROLE}; SELECT set_config('app.tenant_id', ${tx.escapeLiteral(tenantId)}, true)`, fn);
}

/** Cross-tenant system work (scheduler): runs as the service login. */
export function asSystem<T>(pool: Pool, fn: (tx: PoolClient) => Promise<T>): Promise<T> {
  return transaction(pool, () => 'BEGIN', fn);
}
