// SQL for the identity.api_keys table.
import type pg from 'pg';

export const IDENTITY_SCHEMA = 'identity';

export type Role = 'read' | 'write' | 'admin';

export interface ApiKeyRow {
  id: string;
  tenantId: string;
  role: Role;
  secretHash: Buffer;
  revoked: boolean;
}

export async function findApiKey(pool: pg.Pool, id: string): Promise<ApiKeyRow | undefined> {
  const { rows } = await pool.query(
    `SELECT id, tenant_id, role, secret_hash, revoked_at IS NOT NULL AS revoked FROM ${IDENTITY_SCHEMA}.api_keys WHERE id = $1`,
    [id],
  );
  const r = rows[0];
  return r && { id: r.id, tenantId: r.tenant_id, role: r.role, secretHash: r.secret_hash, revoked: r.revoked };
}

export async function insertApiKey(pool: pg.Pool, key: { id: string; tenantId: string; role: Role; name: string; secretHash: Buffer }): Promise<void> {
  await pool.query(
    `INSERT INTO ${IDENTITY_SCHEMA}.api_keys (id, tenant_id, role, name, secret_hash) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (id) DO NOTHING`,
    [key.id, key.tenantId, key.role, key.name, key.secretHash],
  );
}

export async function revokeApiKey(pool: pg.Pool, tenantId: string, id: string): Promise<boolean> {
  const { rowCount } = await pool.query(
    `UPDATE ${IDENTITY_SCHEMA}.api_keys SET revoked_at = now() WHERE id = $1 AND tenant_id = $2 AND revoked_at IS NULL`,
    [id, tenantId],
  );
  return (rowCount ?? 0) > 0;
}
