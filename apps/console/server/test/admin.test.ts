// Password change, expiry, sign-in rate limits, the admin API (users, API keys) and its audit
// events, preferences. A real error-ingest behind the front door checks roles and revocation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { ProcessingRecorded } from '@vigil/events';
import { eventually } from '@vigil/service-kit/testing';
import { buildApp } from '../app.js';
import { loadConsoleConfig } from '../config.js';
import { collect } from './events.js';
import { signIn, startHarness, type Browser, type Harness } from './harness.js';

const ADMIN = 'admin@vigil.local';
const PASSWORD = 'correct-horse-battery-9';
let h: Harness;
let admin: Browser;
let audit: Awaited<ReturnType<typeof collect>>;

beforeAll(async () => {
  h = await startHarness('conadmin', { CONSOLE_SIGNIN_MAX_PER_IP: '8' });
  audit = await collect(h.env, [ProcessingRecorded]);
  const first = await signIn(h.app, ADMIN, await h.adminPassword());
  const blocked = await first.call({ method: 'GET', url: '/api/admin/users' });
  expect(blocked.statusCode).toBe(403);
  expect(blocked.json().code).toBe('CONSOLE_PASSWORD_CHANGE_REQUIRED');
  const changed = await first.call({ method: 'POST', url: '/api/session/password', payload: { currentPassword: await h.adminPassword(), newPassword: PASSWORD } });
  expect(changed.statusCode).toBe(204);
  admin = first;
});
afterAll(async () => {
  await audit?.stop();
  await h?.close();
});

describe('password change', () => {
  it('clears mustChangePassword and revokes the other sessions of the user', async () => {
    const other = await signIn(h.app, ADMIN, PASSWORD);
    const third = await signIn(h.app, ADMIN, PASSWORD);
    expect((await admin.call({ method: 'GET', url: '/api/session' })).json().mustChangePassword).toBe(false);
    const res = await third.call({ method: 'POST', url: '/api/session/password', payload: { currentPassword: PASSWORD, newPassword: `${PASSWORD}-x` } });
    expect(res.statusCode).toBe(204);
    expect((await third.call({ method: 'GET', url: '/api/session' })).statusCode).toBe(200);
    expect((await other.call({ method: 'GET', url: '/api/session' })).statusCode).toBe(401);
    expect((await admin.call({ method: 'GET', url: '/api/session' })).statusCode).toBe(401);
    // Put it back, and keep a live admin session for the rest of the file.
    expect((await third.call({ method: 'POST', url: '/api/session/password', payload: { currentPassword: `${PASSWORD}-x`, newPassword: PASSWORD } })).statusCode).toBe(204);
    admin = third;
  });

  it('refuses a wrong current password and a weak new one, naming the field', async () => {
    const wrong = await admin.call({ method: 'POST', url: '/api/session/password', payload: { currentPassword: 'nope', newPassword: 'another-good-passphrase' } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({ code: 'CONSOLE_PASSWORD_WRONG' });
    const weak = await admin.call({ method: 'POST', url: '/api/session/password', payload: { currentPassword: PASSWORD, newPassword: 'short' } });
    expect(weak.json()).toMatchObject({ code: 'CONSOLE_PASSWORD_WEAK' });
    expect(weak.json().detail).toMatch(/^newPassword /);
  });
});

describe('expiry', () => {
  let short: FastifyInstance;
  beforeAll(async () => {
    // A second console on the same database, with a 1.2 s idle timeout and a 3 s absolute one.
    short = await buildApp(
      loadConsoleConfig({ ...h.env.env, CONSOLE_INITIAL_PASSWORD_FILE: h.passwordFile, CONSOLE_SESSION_IDLE_MINUTES: '0.02', CONSOLE_SESSION_ABSOLUTE_HOURS: String(3 / 3600) }),
    );
    await short.ready();
  });
  afterAll(async () => short?.close());

  it('ends an idle session', async () => {
    const b = await signIn(short, ADMIN, PASSWORD);
    expect((await b.call({ method: 'GET', url: '/api/session' })).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 1_500));
    const res = await b.call({ method: 'GET', url: '/api/session' });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('CONSOLE_SESSION_REQUIRED');
  });

  it('ends an active session at its absolute expiry', async () => {
    const b = await signIn(short, ADMIN, PASSWORD);
    const started = Date.now();
    // Activity every 300 ms keeps it from idling out, until the absolute end at 3 s.
    let last = 200;
    while (Date.now() - started < 6_000 && last === 200) {
      last = (await b.call({ method: 'GET', url: '/api/session' })).statusCode;
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(last).toBe(401);
    expect(Date.now() - started).toBeGreaterThan(2_500);
  });
});

describe('sign-in rate limit', () => {
  it('locks an account after too many failures, even for the right password', async () => {
    const { initialPassword } = (await admin.call({ method: 'POST', url: '/api/admin/users', payload: { email: 'locked@vigil.local', role: 'read' } })).json();
    for (let i = 0; i < 5; i++) {
      const res = await h.app.inject({ method: 'POST', url: '/api/session', remoteAddress: `10.0.0.${i + 1}`, payload: { email: 'locked@vigil.local', password: 'wrong-guess' } });
      expect(res.statusCode).toBe(401);
    }
    const locked = await h.app.inject({ method: 'POST', url: '/api/session', remoteAddress: '10.0.0.99', payload: { email: 'locked@vigil.local', password: initialPassword } });
    expect(locked.statusCode).toBe(429);
    expect(locked.json().code).toBe('CONSOLE_SIGNIN_RATE_LIMITED');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('limits failures per client IP across accounts', async () => {
    for (let i = 0; i < 8; i++) {
      const res = await h.app.inject({ method: 'POST', url: '/api/session', remoteAddress: '10.9.9.9', payload: { email: `guess${i}@vigil.local`, password: 'x' } });
      expect(res.statusCode).toBe(401);
    }
    const res = await h.app.inject({ method: 'POST', url: '/api/session', remoteAddress: '10.9.9.9', payload: { email: ADMIN, password: PASSWORD } });
    expect(res.statusCode).toBe(429);
    expect(res.json().detail).toContain('IP');
    // Another address is not affected.
    expect((await h.app.inject({ method: 'POST', url: '/api/session', remoteAddress: '10.9.9.10', payload: { email: ADMIN, password: PASSWORD } })).statusCode).toBe(200);
  });
});

describe('admin: users', () => {
  it('creates a read-only user who must change the password, sees no admin API, and is refused writes by the services', async () => {
    const created = await admin.call({ method: 'POST', url: '/api/admin/users', payload: { email: 'reader@vigil.local', name: 'Rea Der', role: 'read' } });
    expect(created.statusCode).toBe(201);
    const { user, initialPassword } = created.json();
    expect(user).toMatchObject({ email: 'reader@vigil.local', role: 'read', disabled: false, mustChangePassword: true });
    const reader = await signIn(h.app, 'reader@vigil.local', initialPassword);
    expect(reader.session).toMatchObject({ role: 'read', mustChangePassword: true });
    expect((await reader.call({ method: 'POST', url: '/api/session/password', payload: { currentPassword: initialPassword, newPassword: 'own-secret-phrase-for-r1' } })).statusCode).toBe(204);
    const adminApi = await reader.call({ method: 'GET', url: '/api/admin/users' });
    expect(adminApi.statusCode).toBe(403);
    expect(adminApi.json().code).toBe('CONSOLE_FORBIDDEN');
    expect((await reader.call({ method: 'GET', url: '/api/errors/v1/projects' })).statusCode).toBe(200);
    const write = await reader.call({ method: 'POST', url: '/api/errors/v1/projects', payload: { name: 'nope' } });
    expect(write.statusCode).toBe(403);
    expect(write.json().code).toBe('AUTH_FORBIDDEN');

    // Promoted (project creation needs admin at error-ingest): the next request carries the admin key.
    const promoted = await admin.call({ method: 'PATCH', url: `/api/admin/users/${user.id}`, payload: { role: 'admin' } });
    expect(promoted.json().role).toBe('admin');
    expect((await reader.call({ method: 'POST', url: '/api/errors/v1/projects', payload: { name: 'by-writer' } })).statusCode).toBe(201);

    // Disabled: the session ends at once and sign-in is refused.
    expect((await admin.call({ method: 'PATCH', url: `/api/admin/users/${user.id}`, payload: { disabled: true } })).json().disabled).toBe(true);
    expect((await reader.call({ method: 'GET', url: '/api/session' })).statusCode).toBe(401);
    expect((await h.app.inject({ method: 'POST', url: '/api/session', remoteAddress: '10.1.1.1', payload: { email: 'reader@vigil.local', password: 'own-secret-phrase-for-r1' } })).statusCode).toBe(401);

    const list = (await admin.call({ method: 'GET', url: '/api/admin/users' })).json().items;
    expect(list.map((u: { email: string }) => u.email)).toEqual(expect.arrayContaining([ADMIN, 'reader@vigil.local']));
  });

  it("disables a person in the admin's tenant only", async () => {
    const { user, initialPassword } = (await admin.call({ method: 'POST', url: '/api/admin/users', payload: { email: 'both@vigil.local', role: 'write' } })).json();
    // No API creates tenants in issue 14: an operator grants a second membership.
    await h.app.infra.pool.query(`INSERT INTO console.memberships (user_id, tenant_id, role) VALUES ($1, 'beta', 'read')`, [user.id]);
    expect((await admin.call({ method: 'PATCH', url: `/api/admin/users/${user.id}`, payload: { disabled: true } })).json().disabled).toBe(true);
    const b = await signIn(h.app, 'both@vigil.local', initialPassword);
    expect(b.session).toMatchObject({ tenant: 'beta', tenants: ['beta'], role: 'read' });
    expect((await b.call({ method: 'POST', url: '/api/session/password', payload: { currentPassword: initialPassword, newPassword: 'a-new-secret-for-b-2' } })).statusCode).toBe(204);
    const back = await b.call({ method: 'PUT', url: '/api/session/tenant', payload: { tenant: 'default' } });
    expect(back.statusCode).toBe(403);
    expect(back.json().code).toBe('CONSOLE_TENANT_FORBIDDEN');
  });

  it('refuses a duplicate email, a bad role and self-demotion, naming the field', async () => {
    const dup = await admin.call({ method: 'POST', url: '/api/admin/users', payload: { email: ADMIN.toUpperCase(), role: 'read' } });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ code: 'CONSOLE_USER_EXISTS' });
    const bad = await admin.call({ method: 'POST', url: '/api/admin/users', payload: { email: 'x@vigil.local', role: 'owner' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toContain('role');
    const self = await admin.call({ method: 'PATCH', url: `/api/admin/users/${admin.session.user && (admin.session.user as { id: string }).id}`, payload: { role: 'read' } });
    expect(self.statusCode).toBe(409);
    expect(self.json().code).toBe('CONSOLE_USER_SELF');
  });
});

describe('admin: API keys', () => {
  it('creates a key shown once that works against a service, lists it with its last use, and revokes it at once', async () => {
    const created = await admin.call({ method: 'POST', url: '/api/admin/api-keys', payload: { name: 'ci', role: 'read' } });
    expect(created.statusCode).toBe(201);
    const { key, secret } = created.json();
    expect(secret).toMatch(/^vgl_[A-Za-z0-9]+_[A-Za-z0-9]+$/);
    expect(key).toMatchObject({ name: 'ci', role: 'read', lastUsedAt: null, revokedAt: null });
    expect(JSON.stringify(key)).not.toContain(secret.split('_')[2]);

    const direct = { authorization: `Bearer ${secret}` };
    expect((await fetch(`${h.errorsUrl}/v1/projects`, { headers: direct })).status).toBe(200);
    const listed = await eventually(async () => {
      const items = (await admin.call({ method: 'GET', url: '/api/admin/api-keys' })).json().items as { id: string; lastUsedAt: string | null }[];
      return items.find((k) => k.id === key.id && k.lastUsedAt);
    });
    expect(Date.parse(listed.lastUsedAt!)).toBeGreaterThan(Date.now() - 60_000);
    // The console's own front-door keys are not in the list.
    const names = (await admin.call({ method: 'GET', url: '/api/admin/api-keys' })).json().items.map((k: { name: string }) => k.name);
    expect(names).not.toContain('console-front-door');
    // Nor can an admin make one with that name: services believe its X-Vigil-Actor.
    const reserved = await admin.call({ method: 'POST', url: '/api/admin/api-keys', payload: { name: 'console-front-door', role: 'write' } });
    expect([reserved.statusCode, reserved.json().code, reserved.json().field]).toEqual([400, 'CONSOLE_KEY_NAME_RESERVED', 'name']);

    expect((await admin.call({ method: 'DELETE', url: `/api/admin/api-keys/${key.id}` })).statusCode).toBe(204);
    // error-ingest had the key cached; the revocation reaches it at once.
    await eventually(async () => (await fetch(`${h.errorsUrl}/v1/projects`, { headers: direct })).status === 401, 3_000, 50);
    const again = await admin.call({ method: 'DELETE', url: `/api/admin/api-keys/${key.id}` });
    expect(again.statusCode).toBe(404);
    expect(again.json().code).toBe('CONSOLE_API_KEY_NOT_FOUND');
  });
});

describe('admin lists: { items, nextCursor } with keyset cursors (docs/API.md)', () => {
  type Listed = { items: { id: string; email: string; name: string }[]; nextCursor: string | null };
  const get = async (url: string) => admin.call({ method: 'GET', url });
  async function everyPage(path: string, limit: number): Promise<{ pages: Listed[]; ids: string[] }> {
    const pages: Listed[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(`${path}?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json() as Listed;
      expect(Object.keys(page).sort()).toEqual(['items', 'nextCursor']);
      expect(page.items.length).toBeLessThanOrEqual(limit);
      pages.push(page);
      cursor = page.nextCursor;
    } while (cursor && pages.length < 50);
    return { pages, ids: pages.flatMap((p) => p.items.map((i) => i.id)) };
  }

  it('pages the people of the tenant by email, stable when someone is added between pages', async () => {
    for (const n of ['Carol', 'alice', 'Bob', 'dave', 'Erin']) {
      expect((await admin.call({ method: 'POST', url: '/api/admin/users', payload: { email: `${n}.page@vigil.local`, role: 'read', password: `pages-of-people-${n}-42` } })).statusCode).toBe(201);
    }
    const whole = (await get('/api/admin/users?limit=500')).json() as Listed;
    expect(whole.nextCursor).toBeNull();
    expect(whole.items.map((u) => u.email)).toEqual(expect.arrayContaining(['alice.page@vigil.local', 'Bob.page@vigil.local', 'Erin.page@vigil.local']));
    const { pages, ids } = await everyPage('/api/admin/users', 2);
    expect(ids).toEqual(whole.items.map((u) => u.id));
    expect(pages.at(-1)!.nextCursor).toBeNull();
    expect(pages.slice(0, -1).every((p) => p.items.length === 2 && p.nextCursor)).toBe(true);

    // Keyset, not offsets: someone added before the cursor neither repeats nor shifts the rest.
    const first = (await get('/api/admin/users?limit=2')).json() as Listed;
    expect((await admin.call({ method: 'POST', url: '/api/admin/users', payload: { email: '0-first.page@vigil.local', role: 'read', password: 'pages-of-people-first-42' } })).statusCode).toBe(201);
    const second = (await get(`/api/admin/users?limit=2&cursor=${encodeURIComponent(first.nextCursor!)}`)).json() as Listed;
    expect(second.items.map((u) => u.id)).toEqual(ids.slice(2, 4));
  });

  it('pages the API keys newest first', async () => {
    for (const name of ['page-a', 'page-b', 'page-c']) expect((await admin.call({ method: 'POST', url: '/api/admin/api-keys', payload: { name, role: 'read' } })).statusCode).toBe(201);
    const whole = (await get('/api/admin/api-keys')).json() as { items: { id: string; createdAt: string }[]; nextCursor: string | null };
    expect(whole.nextCursor).toBeNull();
    expect(whole.items.map((k) => k.createdAt)).toEqual([...whole.items.map((k) => k.createdAt)].sort().reverse());
    const { ids } = await everyPage('/api/admin/api-keys', 1);
    expect(ids).toEqual(whole.items.map((k) => k.id));
  });

  it('refuses a cursor it did not return, and a limit out of range', async () => {
    const forged = (key: unknown[]) => Buffer.from(JSON.stringify(key)).toString('base64url');
    for (const path of ['/api/admin/users', '/api/admin/api-keys']) {
      for (const cursor of ['not-a-cursor', forged(['a']), forged([{ a: 1 }, 'x'])]) {
        const res = await get(`${path}?cursor=${encodeURIComponent(cursor)}`);
        expect([res.statusCode, res.json().code], `${path} ${cursor}`).toEqual([400, 'CURSOR_INVALID']);
      }
      const tooMany = await get(`${path}?limit=501`);
      expect([tooMany.statusCode, tooMany.json().code]).toEqual([400, 'VALIDATION_FAILED']);
      expect(tooMany.json().detail).toContain('limit');
    }
    // The people's key is [email, user id]: a well-formed cursor with another kind of id is not theirs either.
    const res = await get(`/api/admin/users?cursor=${forged(['a@vigil.local', 'not-a-uuid'])}`);
    expect([res.statusCode, res.json().code]).toEqual([400, 'CURSOR_INVALID']);
  });
});

describe('audit', () => {
  it('publishes every admin action as audit.processing, with people as HMAC refs only', async () => {
    const seen = await eventually(async () => {
      const acts = new Set(audit.events.map((e) => (e.data as { activity: string }).activity));
      const all = ['console.user.created', 'console.user.role-changed', 'console.user.disabled', 'console.api-key.created', 'console.api-key.revoked', 'console.service-change'];
      return all.every((a) => acts.has(a)) && audit.events;
    }, 20_000);
    for (const e of seen) {
      expect(e.tenantId).toBe('default');
      expect(e.source).toBe('console');
      expect(JSON.stringify(e.data)).not.toContain('@vigil.local');
    }
    // The project the promoted reader created through the front door, recorded with who did it.
    const change = seen.find((e) => (e.data as { activity: string }).activity === 'console.service-change')!;
    expect((change.data as { detail: Record<string, unknown> }).detail).toMatchObject({ service: 'errors', method: 'POST', path: '/v1/projects', status: 201, role: 'admin' });
    const created = seen.find((e) => (e.data as { activity: string }).activity === 'console.user.created')!;
    expect((created.data as { subjectRef?: string }).subjectRef).toMatch(/.{16,}/);
  });
});

describe('preferences', () => {
  it('has defaults, saves a valid change and refuses a bad value naming the field', async () => {
    expect((await admin.call({ method: 'GET', url: '/api/preferences' })).json()).toEqual({ theme: 'auto', timezone: 'local', refreshSeconds: 30 });
    const saved = await admin.call({ method: 'PUT', url: '/api/preferences', payload: { theme: 'dark', timezone: 'utc', refreshSeconds: 10 } });
    expect(saved.statusCode).toBe(200);
    expect((await admin.call({ method: 'GET', url: '/api/preferences' })).json()).toEqual({ theme: 'dark', timezone: 'utc', refreshSeconds: 10 });
    const bad = await admin.call({ method: 'PUT', url: '/api/preferences', payload: { theme: 'neon', timezone: 'utc', refreshSeconds: 10 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toContain('theme');
  });
});
