// Two console instances on one database and Redis: nothing about a request lives in one instance's
// memory. A session made on one is honoured and ended on the other, and failed sign-ins are counted
// across both (the limit is per account, not per instance).
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { loadConsoleConfig } from '../config.js';
import { signIn, startHarness, type Harness } from './harness.js';

let h: Harness;
let other: FastifyInstance;
const ADMIN = 'admin@vigil.local';
const NEW_PASSWORD = 'a-much-better-passphrase-42';

beforeAll(async () => {
  h = await startHarness('con2x');
  other = await buildApp(
    loadConsoleConfig({ ...h.env.env, CONSOLE_INITIAL_PASSWORD_FILE: h.passwordFile, CONSOLE_ERRORS_URL: h.errorsUrl, CONSOLE_WEB_DIST: h.webDist }),
  );
  await other.ready();
});
afterAll(async () => {
  await other?.close();
  await h?.close();
});

describe('two console instances', () => {
  it('honour and end each other’s sessions', async () => {
    const a = await signIn(h.app, ADMIN, await h.adminPassword());
    const changed = await a.call({ method: 'POST', url: '/api/session/password', payload: { currentPassword: await h.adminPassword(), newPassword: NEW_PASSWORD } });
    expect(changed.statusCode).toBe(204);
    // The same cookie and CSRF token on the other instance: the session and the front door work there.
    const onOther = await other.inject({ method: 'GET', url: '/api/session', headers: { cookie: a.cookie } });
    expect(onOther.statusCode).toBe(200);
    expect(onOther.json().user.email).toBe(ADMIN);
    const created = await other.inject({ method: 'POST', url: '/api/errors/v1/projects', headers: { cookie: a.cookie, 'x-csrf-token': a.csrf }, payload: { name: 'from-the-other' } });
    expect(created.statusCode, created.body).toBe(201);
    // Signed out on the other instance: refused on the first.
    const out = await other.inject({ method: 'DELETE', url: '/api/session', headers: { cookie: a.cookie, 'x-csrf-token': a.csrf } });
    expect(out.statusCode).toBe(204);
    const after = await h.app.inject({ method: 'GET', url: '/api/errors/v1/projects', headers: { cookie: a.cookie } });
    expect(after.statusCode).toBe(401);
  });

  it('count failed sign-ins of one account together', async () => {
    const wrong = { email: ADMIN, password: 'not-the-password-at-all' };
    const codes: number[] = [];
    // CONSOLE_SIGNIN_MAX_PER_ACCOUNT is 5: three failures on one instance, two on the other, then the limit.
    for (const app of [h.app, h.app, h.app, other, other]) codes.push((await app.inject({ method: 'POST', url: '/api/session', payload: wrong })).statusCode);
    expect(codes).toEqual([401, 401, 401, 401, 401]);
    const limited = await h.app.inject({ method: 'POST', url: '/api/session', payload: { email: ADMIN, password: NEW_PASSWORD } });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('CONSOLE_SIGNIN_RATE_LIMITED');
    const limitedOther = await other.inject({ method: 'POST', url: '/api/session', payload: wrong });
    expect(limitedOther.statusCode).toBe(429);
  });
});
