// SQL for the identity.api_keys table.
import type pg from 'pg';

export const IDENTITY_SCHEMA = 'identity';

/** Channel on which a revocation is announced, so every service drops the key from its cache at once. */
export const API_KEY_REVOKED_CHANNEL = 'vigil_api_key_revoked';

export type Role = 'read' | 'write' | 'admin';

/** A pool, or a client inside an open transaction. */
export type Queryable = pg.Pool | pg.PoolClient;

export interface ApiKeyRow {
  id: string;
  tenantId: string;
  role: Role;
  secretHash: Buffer;
  revoked: boolean;
  name: string;
}

/** What may be shown about a key (never its hash). */
export interface ApiKeyInfo {
  id: string;
  tenantId: string;
  role: Role;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export async function findApiKey(pool: Queryable, id: string): Promise<ApiKeyRow | undefined> {
  const { rows } = await pool.query(
    `SELECT id, tenant_id, role, name, secret_hash, revoked_at IS NOT NULL AS revoked FROM ${IDENTITY_SCHEMA}.api_keys WHERE id = $1`,
    [id],
  );
  const r = rows[0];
  return r && { id: r.id, tenantId: r.tenant_id, role: r.role, secretHash: r.secret_hash, revoked: r.revoked, name: r.name };
}

export async function insertApiKey(pool: Queryable, key: { id: string; tenantId: string; role: Role; name: string; secretHash: Buffer }): Promise<void> {
  await pool.query(
    `INSERT INTO ${IDENTITY_SCHEMA}.api_keys (id, tenant_id, role, name, secret_hash) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (id) DO NOTHING`,
    [key.id, key.tenantId, key.role, key.name, key.secretHash],
  );
}

/** Revokes a key and announces it (the NOTIFY is delivered when the transaction commits). */
export async function revokeApiKey(pool: Queryable, tenantId: string, id: string): Promise<boolean> {
  const { rowCount } = await pool.query(
    `WITH revoked AS (
       UPDATE ${IDENTITY_SCHEMA}.api_keys SET revoked_at = now() WHERE id = $1 AND tenant_id = $2 AND revoked_at IS NULL RETURNING id
     )
     SELECT pg_notify('${API_KEY_REVOKED_CHANNEL}', id) FROM revoked`,
    [id, tenantId],
  );
  return (rowCount ?? 0) > 0;
}

/** A tenant's keys, newest first; `names` (e.g. ['bootstrap']) are left out when given in `excludeNames`. */
export async function listApiKeys(pool: Queryable, tenantId: string, o: { excludeNames?: string[] } = {}): Promise<ApiKeyInfo[]> {
  const { rows } = await pool.query(
    `SELECT id, tenant_id, role, name, created_at, last_used_at, revoked_at FROM ${IDENTITY_SCHEMA}.api_keys
      WHERE tenant_id = $1 AND NOT (name = ANY($2::text[])) ORDER BY created_at DESC, id`,
    [tenantId, o.excludeNames ?? []],
  );
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return rows.map((r) => ({
    id: r.id,
    tenantId: r.tenant_id,
    role: r.role,
    name: r.name,
    createdAt: iso(r.created_at)!,
    lastUsedAt: iso(r.last_used_at),
    revokedAt: iso(r.revoked_at),
  }));
}

export async function markApiKeysUsed(pool: Queryable, ids: string[]): Promise<void> {
  await pool.query(`UPDATE ${IDENTITY_SCHEMA}.api_keys SET last_used_at = now() WHERE id = ANY($1::text[])`, [ids]);
}
