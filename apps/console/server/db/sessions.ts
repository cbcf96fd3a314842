// SQL for console.sessions. A session is looked up by the SHA-256 of its cookie token.
import type { Role } from '../domain/roles.js';
import type { Db } from './queryable.js';

export interface SessionRow {
  id: string;
  userId: string;
  email: string;
  name: string;
  tenantId: string;
  /** The user's role in the session's tenant; undefined when the membership was removed. */
  role: Role | undefined;
  csrfToken: string;
  mustChangePassword: boolean;
  userDisabled: boolean;
  createdAt: Date;
  lastSeenAt: Date;
  absoluteExpiresAt: Date;
  revoked: boolean;
}

export async function insertSession(
  db: Db,
  s: { id: string; tokenHash: Buffer; userId: string; tenantId: string; csrfToken: string; expiresAt: Date; ip: string; userAgent: string },
): Promise<void> {
  await db.query(
    `INSERT INTO console.sessions (id, token_hash, user_id, tenant_id, csrf_token, expires_at, ip, user_agent)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [s.id, s.tokenHash, s.userId, s.tenantId, s.csrfToken, s.expiresAt, s.ip, s.userAgent.slice(0, 512)],
  );
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const toSession = (r: any): SessionRow => ({
  id: r.id,
  userId: r.user_id,
  email: r.email,
  name: r.name,
  tenantId: r.tenant_id,
  role: r.role ?? undefined,
  csrfToken: r.csrf_token,
  mustChangePassword: r.must_change_password,
  userDisabled: r.disabled,
  createdAt: r.created_at,
  lastSeenAt: r.last_seen_at,
  absoluteExpiresAt: r.expires_at,
  revoked: r.revoked,
});

const SESSION = `SELECT s.id, s.user_id, u.email, u.name, s.tenant_id, m.role, s.csrf_token, u.must_change_password,
                        u.disabled_at IS NOT NULL AS disabled, s.created_at, s.last_seen_at, s.expires_at, s.revoked_at IS NOT NULL AS revoked
                   FROM console.sessions s
                   JOIN console.users u ON u.id = s.user_id
                   LEFT JOIN console.memberships m ON m.user_id = s.user_id AND m.tenant_id = s.tenant_id AND m.disabled_at IS NULL`;

export async function findSessionByToken(db: Db, tokenHash: Buffer): Promise<SessionRow | undefined> {
  const { rows } = await db.query(`${SESSION} WHERE s.token_hash = $1`, [tokenHash]);
  return rows[0] && toSession(rows[0]);
}

export async function findSessionById(db: Db, id: string): Promise<SessionRow | undefined> {
  const { rows } = await db.query(`${SESSION} WHERE s.id = $1`, [id]);
  return rows[0] && toSession(rows[0]);
}

export async function touchSession(db: Db, id: string): Promise<void> {
  await db.query(`UPDATE console.sessions SET last_seen_at = now() WHERE id = $1 AND revoked_at IS NULL`, [id]);
}

export async function setSessionTenant(db: Db, id: string, tenantId: string): Promise<void> {
  await db.query(`UPDATE console.sessions SET tenant_id = $2 WHERE id = $1`, [id, tenantId]);
}

export async function revokeSession(db: Db, id: string): Promise<void> {
  await db.query(`UPDATE console.sessions SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1`, [id]);
}

/** Revokes every live session of a user (in one tenant, when given) except `keep`; returns the revoked ids. */
export async function revokeUserSessions(db: Db, userId: string, o: { keep?: string; tenantId?: string } = {}): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `UPDATE console.sessions SET revoked_at = now()
      WHERE user_id = $1 AND revoked_at IS NULL AND ($2::uuid IS NULL OR id <> $2::uuid) AND ($3::text IS NULL OR tenant_id = $3) RETURNING id`,
    [userId, o.keep ?? null, o.tenantId ?? null],
  );
  return rows.map((r) => r.id);
}

/** Deletes sessions that ended more than a day ago. */
export async function deleteOldSessions(db: Db): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM console.sessions WHERE expires_at < now() - interval '1 day' OR revoked_at < now() - interval '1 day'`,
  );
  return rowCount ?? 0;
}
