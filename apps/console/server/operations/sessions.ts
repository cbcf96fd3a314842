// Sign-in, session resolution, sign-out, tenant switch and password change.
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { findSessionById, findSessionByToken, insertSession, revokeSession, revokeUserSessions, setSessionTenant, touchSession, type SessionRow } from '../db/sessions.js';
import { withTransaction } from '@vigil/service-kit';
import { findUser, findUserByEmail, membershipsOf, updatePassword } from '../db/users.js';
import { DECOY_HASH, hashPassword, passwordProblem, verifyPassword } from '../domain/passwords.js';
import type { Role } from '../domain/roles.js';
import { expiresAt, hashSessionToken, isExpired, newCsrfToken, newSessionToken, touchEvery } from '../domain/sessions.js';
import { passwordWeak, passwordWrong, signInFailed, tenantNotMember } from '../errors.js';
import type { ConsoleDeps } from './deps.js';

/** A signed-in session as the request sees it. */
export interface ActiveSession {
  id: string;
  userId: string;
  email: string;
  name: string;
  tenantId: string;
  role: Role;
  csrfToken: string;
  mustChangePassword: boolean;
  expiresAt: Date;
}

/** The body of GET/POST /api/session. */
export interface SessionView {
  user: { id: string; email: string; name: string };
  tenant: string;
  tenants: string[];
  role: Role;
  csrfToken: string;
  mustChangePassword: boolean;
  expiresAt: string;
}

export interface SignInResult {
  token: string;
  session: SessionView;
  expiresAt: Date;
}

export async function signIn(deps: ConsoleDeps, input: { email: string; password: string; ip: string; userAgent: string }): Promise<SignInResult> {
  const email = input.email.trim();
  await deps.limiter.check(email, input.ip);
  const user = await findUserByEmail(deps.pool, email);
  // Always run scrypt, so a missing account takes as long as a wrong password.
  const ok = await verifyPassword(input.password, user?.passwordHash ?? DECOY_HASH);
  const memberships = user && ok && !user.disabled ? await membershipsOf(deps.pool, user.id) : [];
  if (!user || !ok || user.disabled || !memberships.length) {
    await deps.limiter.recordFailure(email, input.ip);
    throw signInFailed();
  }
  await deps.limiter.recordSuccess(email, input.ip);
  const { token, hash } = newSessionToken();
  const now = new Date();
  const absolute = new Date(now.getTime() + deps.policy.absoluteMs);
  const id = randomUUID();
  const tenantId = memberships[0]!.tenantId;
  await insertSession(deps.pool, { id, tokenHash: hash, userId: user.id, tenantId, csrfToken: newCsrfToken(), expiresAt: absolute, ip: input.ip, userAgent: input.userAgent });
  const session = await sessionView(deps, await loadActive(deps, (await findSessionById(deps.pool, id))!));
  return { token, session, expiresAt: absolute };
}

function loadActive(deps: ConsoleDeps, row: SessionRow): ActiveSession | undefined {
  if (row.revoked || row.userDisabled || !row.role || isExpired(row, deps.policy)) return undefined;
  return {
    id: row.id,
    userId: row.userId,
    email: row.email,
    name: row.name,
    tenantId: row.tenantId,
    role: row.role,
    csrfToken: row.csrfToken,
    mustChangePassword: row.mustChangePassword,
    expiresAt: expiresAt(row, deps.policy),
  };
}

/** The live session of a cookie token, or undefined (unknown, revoked, expired, user disabled or no longer a member). */
export async function resolveSession(deps: ConsoleDeps, token: string): Promise<ActiveSession | undefined> {
  const row = await findSessionByToken(deps.pool, hashSessionToken(token));
  if (!row) return undefined;
  const active = loadActive(deps, row);
  if (active && Date.now() - row.lastSeenAt.getTime() > touchEvery(deps.policy)) {
    await touchSession(deps.pool, row.id);
    active.expiresAt = expiresAt({ ...row, lastSeenAt: new Date() }, deps.policy);
  }
  return active;
}

/** Re-reads a session by id (open streams check theirs periodically). */
export async function stillActive(deps: ConsoleDeps, sessionId: string): Promise<ActiveSession | undefined> {
  const row = await findSessionById(deps.pool, sessionId);
  return row && loadActive(deps, row);
}

export async function sessionView(deps: ConsoleDeps, s: ActiveSession | undefined): Promise<SessionView> {
  if (!s) throw new Error('session vanished while being created');
  const tenants = (await membershipsOf(deps.pool, s.userId)).map((m) => m.tenantId);
  return {
    user: { id: s.userId, email: s.email, name: s.name },
    tenant: s.tenantId,
    tenants,
    role: s.role,
    csrfToken: s.csrfToken,
    mustChangePassword: s.mustChangePassword,
    expiresAt: s.expiresAt.toISOString(),
  };
}

export async function signOut(deps: ConsoleDeps, s: ActiveSession): Promise<void> {
  await revokeSession(deps.pool, s.id);
  deps.sessionEnded.emit('ended', [s.id]);
}

export async function switchTenant(deps: ConsoleDeps, s: ActiveSession, tenant: string): Promise<SessionView> {
  const memberships = await membershipsOf(deps.pool, s.userId);
  if (!memberships.some((m) => m.tenantId === tenant)) throw tenantNotMember(tenant);
  await setSessionTenant(deps.pool, s.id, tenant);
  // Streams of this session were filtered by the old tenant: end them, the browser reconnects.
  deps.sessionEnded.emit('ended', [s.id]);
  return sessionView(deps, await stillActive(deps, s.id));
}

/** Changes the password, clears mustChangePassword and revokes the user's other sessions. */
export async function changePassword(deps: ConsoleDeps, s: ActiveSession, input: { currentPassword: string; newPassword: string }): Promise<void> {
  const user = await findUser(deps.pool, s.userId);
  if (!user || !(await verifyPassword(input.currentPassword, user.passwordHash))) throw passwordWrong();
  const problem = passwordProblem(input.newPassword, user.email);
  if (problem) throw passwordWeak(problem);
  if (input.newPassword === input.currentPassword) throw passwordWeak('must differ from the current password');
  const hash = await hashPassword(input.newPassword);
  const revoked = await withTransaction(deps.pool, async (tx) => {
    await updatePassword(tx, s.userId, hash);
    return revokeUserSessions(tx, s.userId, { keep: s.id });
  });
  if (revoked.length) deps.sessionEnded.emit('ended', revoked);
}

export const csrfMatches = (s: ActiveSession, presented: string | undefined): boolean => {
  if (!presented) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(s.csrfToken);
  return a.length === b.length && timingSafeEqual(a, b);
};
