// Admin: the people of the admin's current tenant — list, create (or add an existing account), change role,
// disable. Everything is per tenant: an admin of one tenant never changes a person's access to another.
import { randomUUID } from 'node:crypto';
import { revokeUserSessions } from '../db/sessions.js';
import { cursorInvalid, decodeCursor, withTransaction, type Page, type PageRequest } from '@vigil/service-kit';
import { countActiveAdmins, findUser, findUserByEmail, insertUser, memberOf, pageMembers, setMembershipDisabled, upsertMembership, type MemberRow } from '../db/users.js';
import { generatePassword, hashPassword, passwordProblem } from '../domain/passwords.js';
import type { Role } from '../domain/roles.js';
import { passwordWeak, userExists, userNotFound, userSelf } from '../errors.js';
import { recordAdminAction } from './audit.js';
import type { ConsoleDeps } from './deps.js';
import type { ActiveSession } from './sessions.js';

export type User = MemberRow;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The people of the admin's tenant, a page at a time, by email. */
export async function listUsers(deps: ConsoleDeps, admin: ActiveSession, page: PageRequest): Promise<Page<User>> {
  const after = decodeCursor(page.cursor, 2);
  // The key is [lower(email), user id]: anything else did not come from this list.
  if (after && (typeof after[0] !== 'string' || typeof after[1] !== 'string' || !UUID.test(after[1]))) throw cursorInvalid();
  return pageMembers(deps.pool, admin.tenantId, page.limit, after);
}

export interface CreateUserInput {
  email: string;
  name?: string;
  role: Role;
  password?: string;
}

/** Creates the account (it must change its password at first sign-in) or adds an existing one to the tenant. */
export async function createUser(deps: ConsoleDeps, admin: ActiveSession, input: CreateUserInput): Promise<{ user: User; initialPassword?: string }> {
  const email = input.email.trim();
  const existing = await findUserByEmail(deps.pool, email);
  if (existing && (await memberOf(deps.pool, admin.tenantId, existing.id))) throw userExists(email);
  let initialPassword: string | undefined;
  let passwordHash: string | undefined;
  if (!existing) {
    if (input.password !== undefined) {
      const problem = passwordProblem(input.password, email);
      if (problem) throw passwordWeak(problem, 'password');
    }
    const password = input.password ?? (initialPassword = generatePassword());
    passwordHash = await hashPassword(password);
  }
  const userId = await withTransaction(deps.pool, async (tx) => {
    let id = existing?.id;
    if (!id) {
      id = randomUUID();
      const inserted = await insertUser(tx, { id, email, name: input.name?.trim() ?? '', passwordHash: passwordHash!, mustChangePassword: true });
      if (!inserted) throw userExists(email);
    }
    await upsertMembership(tx, id, admin.tenantId, input.role);
    await recordAdminAction(deps, tx, admin, 'console.user.created', { subjectEmail: email, detail: { userId: id, role: input.role, existingAccount: Boolean(existing) } });
    return id;
  });
  const user = await memberOf(deps.pool, admin.tenantId, userId);
  return { user: user!, ...(initialPassword ? { initialPassword } : {}) };
}

export async function updateUser(deps: ConsoleDeps, admin: ActiveSession, userId: string, change: { role?: Role; disabled?: boolean }): Promise<User> {
  const member = await memberOf(deps.pool, admin.tenantId, userId);
  if (!member) throw userNotFound(userId);
  if (userId === admin.userId && (change.disabled === true || (change.role && change.role !== 'admin'))) {
    throw userSelf('userId: you cannot disable yourself or lower your own role; ask another admin');
  }
  const ended = await withTransaction(deps.pool, async (tx) => {
    // Serialise admin changes of one tenant so two concurrent demotions cannot remove its last admin.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('vigil-console:tenant-admins:' || $1))`, [admin.tenantId]);
    let revoked: string[] = [];
    if (change.role && change.role !== member.role) {
      await upsertMembership(tx, userId, admin.tenantId, change.role);
      await recordAdminAction(deps, tx, admin, 'console.user.role-changed', { subjectEmail: member.email, detail: { userId, from: member.role, to: change.role } });
    }
    if (change.disabled !== undefined && change.disabled !== member.disabled) {
      await setMembershipDisabled(tx, userId, admin.tenantId, change.disabled);
      if (change.disabled) revoked = await revokeUserSessions(tx, userId, { tenantId: admin.tenantId });
      await recordAdminAction(deps, tx, admin, change.disabled ? 'console.user.disabled' : 'console.user.enabled', { subjectEmail: member.email, detail: { userId } });
    }
    if ((await countActiveAdmins(tx, admin.tenantId)) === 0) throw userSelf('role: the tenant would be left without an enabled admin');
    return revoked;
  });
  if (ended.length) deps.sessionEnded.emit('ended', ended);
  const user = await memberOf(deps.pool, admin.tenantId, userId);
  if (!user || !(await findUser(deps.pool, userId))) throw userNotFound(userId);
  return user;
}
