// The console's own access control: every route under /api needs a live session unless it says
// `config: { access: 'anonymous' }`; state-changing requests also need the session's CSRF token.
// (The kit's API-key hook skips these routes: they are `public` to the kit.)
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { atLeast, type Role } from '../domain/roles.js';
import { csrfRefused, forbidden, passwordChangeRequired, sessionRequired } from '../errors.js';
import type { ConsoleDeps } from '../operations/deps.js';
import { csrfMatches, resolveSession, type ActiveSession } from '../operations/sessions.js';

/** anonymous: no session; session: any live session (even one that must change its password); a role: at least that role. */
export type Access = 'anonymous' | 'session' | Role;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    consoleSession: ActiveSession | null;
  }
}

export const SESSION_COOKIE = 'vigil_session';
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function registerSessionGuard(app: FastifyInstance, deps: ConsoleDeps): void {
  app.decorateRequest('consoleSession', null);
  app.addHook('onRequest', async (req, reply) => {
    const url = req.routeOptions.url;
    if (!url) return;
    const access: Access = req.routeOptions.config.access ?? (url.startsWith('/api') ? 'read' : 'anonymous');
    if (access === 'anonymous') return;
    const token = req.cookies[SESSION_COOKIE];
    const session = token ? await resolveSession(deps, token) : undefined;
    if (!session) {
      if (token) clearSessionCookie(req, reply, deps);
      throw sessionRequired();
    }
    req.consoleSession = session;
    if (STATE_CHANGING.has(req.method) && !csrfMatches(session, headerValue(req.headers['x-csrf-token']))) throw csrfRefused();
    if (access === 'session') return;
    if (session.mustChangePassword) throw passwordChangeRequired();
    if (!atLeast(session.role, access)) throw forbidden(access, session.role);
  });
}

/** The session of a route that required one (the guard has run). */
export function sessionOf(req: FastifyRequest): ActiveSession {
  if (!req.consoleSession) throw sessionRequired();
  return req.consoleSession;
}

const headerValue = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

function secure(req: FastifyRequest, deps: ConsoleDeps): boolean {
  const mode = deps.config.CONSOLE_COOKIE_SECURE;
  return mode === 'always' || (mode === 'auto' && req.protocol === 'https');
}

export function setSessionCookie(req: FastifyRequest, reply: FastifyReply, deps: ConsoleDeps, token: string, expires: Date): void {
  reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'strict', secure: secure(req, deps), expires });
}

export function clearSessionCookie(req: FastifyRequest, reply: FastifyReply, deps: ConsoleDeps): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure: secure(req, deps) });
}
