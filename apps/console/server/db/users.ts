// SQL for console.users and console.memberships.
import { keysetPage, type CursorKey, type Page } from '@vigil/service-kit';
import type { Role } from '../domain/roles.js';
import type { Db } from './queryable.js';

export interface UserRow {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  mustChangePassword: boolean;
  disabled: boolean;
  createdAt: string;
}

export interface MemberRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  mustChangePassword: boolean;
  createdAt: string;
}

const USER = `id, email, name, password_hash, must_change_password, disabled_at IS NOT NULL AS disabled, created_at`;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const toUser = (r: any): UserRow => ({
  id: r.id,
  email: r.email,
  name: r.name,
  passwordHash: r.password_hash,
  mustChangePassword: r.must_change_password,
  disabled: r.disabled,
  createdAt: new Date(r.created_at).toISOString(),
});

export async function countUsers(db: Db): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM console.users');
  return rows[0]!.n;
}

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  const { rows } = await db.query(`SELECT ${USER} FROM console.users WHERE lower(email) = lower($1)`, [email]);
  return rows[0] && toUser(rows[0]);
}

export async function findUser(db: Db, id: string): Promise<UserRow | undefined> {
  const { rows } = await db.query(`SELECT ${USER} FROM console.users WHERE id = $1`, [id]);
  return rows[0] && toUser(rows[0]);
}

export async function insertUser(db: Db, u: { id: string; email: string; name: string; passwordHash: string; mustChangePassword: boolean }): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO console.users (id, email, name, password_hash, must_change_password) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT DO NOTHING`,
    [u.id, u.email, u.name, u.passwordHash, u.mustChangePassword],
  );
  return (rowCount ?? 0) > 0;
}

export async function updatePassword(db: Db, userId: string, passwordHash: string): Promise<void> {
  await db.query(
    `UPDATE console.users SET password_hash = $2, must_change_password = false, password_changed_at = now() WHERE id = $1`,
    [userId, passwordHash],
  );
}

/** Disables (or re-enables) a person in one tenant only. */
export async function setMembershipDisabled(db: Db, userId: string, tenantId: string, disabled: boolean): Promise<void> {
  await db.query(
    `UPDATE console.memberships SET disabled_at = CASE WHEN $3 THEN coalesce(disabled_at, now()) ELSE NULL END WHERE user_id = $1 AND tenant_id = $2`,
    [userId, tenantId, disabled],
  );
}

export async function upsertMembership(db: Db, userId: string, tenantId: string, role: Role): Promise<void> {
  await db.query(
    `INSERT INTO console.memberships (user_id, tenant_id, role) VALUES ($1, $2, $3)
     ON CONFLICT (user_id, tenant_id) DO UPDATE SET role = EXCLUDED.role`,
    [userId, tenantId, role],
  );
}

/** The tenants a person may sign in to (enabled memberships). */
export async function membershipsOf(db: Db, userId: string): Promise<{ tenantId: string; role: Role }[]> {
  const { rows } = await db.query(`SELECT tenant_id, role FROM console.memberships WHERE user_id = $1 AND disabled_at IS NULL ORDER BY tenant_id`, [userId]);
  return rows.map((r) => ({ tenantId: r.tenant_id, role: r.role }));
}

const MEMBER = `u.id, u.email, u.name, m.role, (m.disabled_at IS NOT NULL OR u.disabled_at IS NOT NULL) AS disabled, u.must_change_password, u.created_at,
       lower(u.email) AS email_key`;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const toMember = (r: any): MemberRow => ({
  id: r.id,
  email: r.email,
  name: r.name,
  role: r.role,
  disabled: r.disabled,
  mustChangePassword: r.must_change_password,
  createdAt: new Date(r.created_at).toISOString(),
});

/** A page of a tenant's people by email (case-insensitive), then id; `after` is [lower(email), id] of the last one shown. */
export async function pageMembers(db: Db, tenantId: string, limit: number, after?: CursorKey): Promise<Page<MemberRow>> {
  const { rows } = await db.query(
    `SELECT ${MEMBER}
       FROM console.memberships m JOIN console.users u ON u.id = m.user_id
      WHERE m.tenant_id = $1 AND ($3::text IS NULL OR (lower(u.email), u.id) > ($3::text, $4::uuid))
      ORDER BY lower(u.email), u.id LIMIT $2`,
    [tenantId, limit + 1, after?.[0] ?? null, after?.[1] ?? null],
  );
  return keysetPage(rows, limit, (r) => [r.email_key, r.id], toMember);
}

export async function memberOf(db: Db, tenantId: string, userId: string): Promise<MemberRow | undefined> {
  const { rows } = await db.query(`SELECT ${MEMBER} FROM console.memberships m JOIN console.users u ON u.id = m.user_id WHERE m.tenant_id = $1 AND u.id = $2`, [tenantId, userId]);
  return rows[0] && toMember(rows[0]);
}

/** Number of enabled admins of a tenant (a tenant must keep at least one). */
export async function countActiveAdmins(db: Db, tenantId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM console.memberships m JOIN console.users u ON u.id = m.user_id
      WHERE m.tenant_id = $1 AND m.role = 'admin' AND m.disabled_at IS NULL AND u.disabled_at IS NULL`,
    [tenantId],
  );
  return rows[0]!.n;
}
