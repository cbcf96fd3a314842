// Sign-in, the current session, sign-out, tenant switch, password change.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import { originRefused } from '../errors.js';
import type { ConsoleDeps } from '../operations/deps.js';
import { changePassword, sessionView, signIn, signOut, switchTenant } from '../operations/sessions.js';
import { clearSessionCookie, sessionOf, setSessionCookie } from '../plugins/session-guard.js';

const SignInBody = Type.Object(
  { email: Type.String({ minLength: 3, maxLength: 320 }), password: Type.String({ minLength: 1, maxLength: 1024 }) },
  { additionalProperties: false },
);
const PasswordBody = Type.Object(
  { currentPassword: Type.String({ minLength: 1, maxLength: 1024 }), newPassword: Type.String({ minLength: 1, maxLength: 1024 }) },
  { additionalProperties: false },
);
const TenantBody = Type.Object({ tenant: Type.String({ minLength: 1, maxLength: 63 }) }, { additionalProperties: false });

/** Sign-in is the one state change without a CSRF token: refuse it from another origin. */
function checkOrigin(req: FastifyRequest): void {
  const origin = req.headers.origin;
  if (origin && origin !== `${req.protocol}://${req.host}`) throw originRefused(origin);
}

export const sessionRoutes: FastifyPluginAsync<{ deps: ConsoleDeps }> = async (app: FastifyInstance, { deps }) => {
  const tags = ['session'];
  app.post('/api/session', { config: { public: true, access: 'anonymous' }, schema: { tags, body: SignInBody } }, async (req, reply) => {
    checkOrigin(req);
    const body = req.body as { email: string; password: string };
    const result = await signIn(deps, { ...body, ip: req.ip, userAgent: req.headers['user-agent'] ?? '' });
    setSessionCookie(req, reply, deps, result.token, result.expiresAt);
    return result.session;
  });
  app.get('/api/session', { config: { public: true, access: 'session' }, schema: { tags } }, async (req) => sessionView(deps, sessionOf(req)));
  app.delete('/api/session', { config: { public: true, access: 'session' }, schema: { tags } }, async (req, reply) => {
    await signOut(deps, sessionOf(req));
    clearSessionCookie(req, reply, deps);
    return reply.status(204).send();
  });
  app.post('/api/session/password', { config: { public: true, access: 'session' }, schema: { tags, body: PasswordBody } }, async (req, reply) => {
    await changePassword(deps, sessionOf(req), req.body as { currentPassword: string; newPassword: string });
    return reply.status(204).send();
  });
  app.put('/api/session/tenant', { config: { public: true, access: 'read' }, schema: { tags, body: TenantBody } }, async (req) =>
    switchTenant(deps, sessionOf(req), (req.body as { tenant: string }).tenant),
  );
};
