// Sign-in, CSRF refusal, sign-out revocation, and the front door calling a service with the
// console's derived key (a real error-ingest on the same test env).
import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceKey, serviceKeyId } from '../domain/service-key.js';
import { signIn, startHarness, type Harness } from './harness.js';

let h: Harness;
const ADMIN = 'admin@vigil.local';
const NEW_PASSWORD = 'a-much-better-passphrase-42';

beforeAll(async () => {
  h = await startHarness('consess');
});
afterAll(async () => h?.close());

describe('first start', () => {
  it('writes the initial admin password to a file only its owner can read', async () => {
    const st = await stat(h.passwordFile);
    expect(st.mode & 0o777).toBe(0o600);
    expect((await h.adminPassword()).length).toBeGreaterThanOrEqual(20);
  });
});

describe('sessions', () => {
  it('signs in with an HttpOnly SameSite=Strict cookie and returns the session', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/session', payload: { email: ADMIN, password: await h.adminPassword() } });
    expect(res.statusCode).toBe(200);
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/^vigil_session=[\w-]{40,};/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).not.toMatch(/Secure/);
    const body = res.json();
    expect(body).toMatchObject({ user: { email: ADMIN }, tenant: 'default', tenants: ['default'], role: 'admin', mustChangePassword: true });
    expect(body.csrfToken).toMatch(/^[\w-]{20,}$/);
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('refuses a wrong password with CONSOLE_SIGNIN_FAILED and never says which part was wrong', async () => {
    const wrong = await h.app.inject({ method: 'POST', url: '/api/session', payload: { email: ADMIN, password: 'not-the-password' } });
    const nobody = await h.app.inject({ method: 'POST', url: '/api/session', payload: { email: 'nobody@vigil.local', password: 'x' } });
    expect(wrong.statusCode).toBe(401);
    expect(nobody.statusCode).toBe(401);
    expect(wrong.json().code).toBe('CONSOLE_SIGNIN_FAILED');
    expect(wrong.json().detail).toBe(nobody.json().detail);
  });

  it('names the missing field of a bad sign-in body', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/session', payload: { email: ADMIN } });
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toContain('password');
  });

  it('refuses a sign-in posted from another origin', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/session', headers: { origin: 'https://evil.example' }, payload: { email: ADMIN, password: await h.adminPassword() } });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('CONSOLE_ORIGIN');
  });

  it('refuses a state-changing request without the CSRF token, and accepts it with the token', async () => {
    const b = await signIn(h.app, ADMIN, await h.adminPassword());
    const without = await b.call({ method: 'DELETE', url: '/api/session', csrf: false });
    expect(without.statusCode).toBe(403);
    expect(without.json().code).toBe('CONSOLE_CSRF');
    const wrong = await b.call({ method: 'DELETE', url: '/api/session', csrf: false, headers: { 'x-csrf-token': 'x'.repeat(32) } });
    expect(wrong.statusCode).toBe(403);
    // The refused requests did not sign out: the session still works.
    expect((await b.call({ method: 'GET', url: '/api/session' })).statusCode).toBe(200);
  });

  it('revokes the session on sign-out: the same cookie no longer works', async () => {
    const b = await signIn(h.app, ADMIN, await h.adminPassword());
    expect((await b.call({ method: 'GET', url: '/api/session' })).statusCode).toBe(200);
    const out = await b.call({ method: 'DELETE', url: '/api/session' });
    expect(out.statusCode).toBe(204);
    const after = await b.call({ method: 'GET', url: '/api/session' });
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('CONSOLE_SESSION_REQUIRED');
  });

  it('needs a session for the API', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/errors/v1/projects' });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('CONSOLE_SESSION_REQUIRED');
  });
});

describe('front door', () => {
  it('calls the service with the derived key of the session tenant and role, never the browser credentials', async () => {
    const b = await signIn(h.app, ADMIN, await h.adminPassword());
    await changeInitialPassword(b);
    const before = h.upstreamSeen.length;
    const created = await b.call({ method: 'POST', url: '/api/errors/v1/projects', payload: { name: 'via-console' }, headers: { authorization: 'Bearer vgl_browser0_forgedforgedforgedforgedforged' } });
    expect(created.statusCode).toBe(201);
    const listed = await b.call({ method: 'GET', url: '/api/errors/v1/projects' });
    expect(listed.statusCode).toBe(200);
    expect(JSON.stringify(listed.json())).toContain('via-console');
    const seen = h.upstreamSeen.slice(before);
    expect(seen.map((s) => s.url)).toEqual(['/v1/projects', '/v1/projects']);
    const expected = `Bearer ${serviceKey('dev-only-console-session-secret-change-me', 'default', 'admin')}`;
    for (const s of seen) {
      expect(s.authorization).toBe(expected);
      expect(s.cookie).toBeUndefined();
      expect(s.csrf).toBeUndefined();
    }
    // The project belongs to the session's tenant: a key of another tenant does not see it.
    const other = await h.env.apiKey('other-tenant', 'admin');
    const foreign = await h.errors.inject({ method: 'GET', url: '/v1/projects', headers: { authorization: `Bearer ${other}` } });
    expect(JSON.stringify(foreign.json())).not.toContain('via-console');
    expect(serviceKeyId(expected.slice(7))).toHaveLength(16);
  });

  it('passes a Sentry envelope through to error-ingest untouched', async () => {
    const b = await signIn(h.app, ADMIN, NEW_PASSWORD);
    const project = (await b.call({ method: 'POST', url: '/api/errors/v1/projects', payload: { name: 'ingest-through' } })).json();
    const key = (await b.call({ method: 'POST', url: `/api/errors/v1/projects/${project.id}/keys`, payload: { label: 'default' } })).json();
    const eventId = 'a'.repeat(32);
    const event = JSON.stringify({ event_id: eventId, timestamp: Date.now() / 1000, platform: 'node', level: 'error', exception: { values: [{ type: 'Error', value: 'through the console' }] } });
    const envelope = `${JSON.stringify({ event_id: eventId })}\n${JSON.stringify({ type: 'event', length: Buffer.byteLength(event) })}\n${event}\n`;
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/${project.id}/envelope/`,
      headers: { 'content-type': 'application/x-sentry-envelope', 'x-sentry-auth': `Sentry sentry_version=7, sentry_key=${key.publicKey}` },
      payload: envelope,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().id).toBe(eventId);
  });
});

describe('health', () => {
  it('shows every service, with the one that runs ready and the absent ones unreachable', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.services.errors.status).toBe('ready');
    expect(body.console.status).toBe('ready');
    expect(body.console.stream).toMatchObject({ connections: 0 });
    expect(typeof body.console.stream.consumer).toBe('string');
    expect(Object.keys(body.services).sort()).toEqual(['alerting', 'dr', 'errors', 'gdpr', 'perf']);
  });
});

async function changeInitialPassword(b: Awaited<ReturnType<typeof signIn>>) {
  if (!b.session.mustChangePassword) return;
  const res = await b.call({ method: 'POST', url: '/api/session/password', payload: { currentPassword: await h.adminPassword(), newPassword: NEW_PASSWORD } });
  if (res.statusCode !== 204) throw new Error(`password change: ${res.body}`);
}

describe('web app', () => {
  it('says the web is not built, then serves files, SPA routes and API 404s apart', async () => {
    const missing = await h.app.inject({ method: 'GET', url: '/' });
    expect(missing.statusCode).toBe(503);
    expect(missing.json().code).toBe('CONSOLE_WEB_NOT_BUILT');

    await mkdir(path.join(h.webDist, 'assets'), { recursive: true });
    await writeFile(path.join(h.webDist, 'index.html'), '<!doctype html><script type="module" src="/assets/app-1a2b.js"></script>');
    await writeFile(path.join(h.webDist, 'assets', 'app-1a2b.js'), 'console.log(1)');

    const index = await h.app.inject({ method: 'GET', url: '/' });
    expect(index.statusCode).toBe(200);
    expect(index.headers['content-type']).toMatch(/text\/html/);
    expect(index.headers['cache-control']).toBe('no-cache');
    expect(index.headers['content-security-policy']).toContain("script-src 'self'");
    const deep = await h.app.inject({ method: 'GET', url: '/alerts?severity=critical&tab=firing' });
    expect(deep.statusCode).toBe(200);
    expect(deep.body).toBe(index.body);
    const asset = await h.app.inject({ method: 'GET', url: '/assets/app-1a2b.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    expect((await h.app.inject({ method: 'GET', url: '/assets/missing.js' })).statusCode).toBe(404);

    // The build writes .br/.gz beside each asset; the server picks one by Accept-Encoding.
    const js = 'console.log("vigil");'.repeat(100);
    await writeFile(path.join(h.webDist, 'assets', 'big-3c4d.js'), js);
    await writeFile(path.join(h.webDist, 'assets', 'big-3c4d.js.br'), brotliCompressSync(js));
    await writeFile(path.join(h.webDist, 'assets', 'big-3c4d.js.gz'), gzipSync(js));
    const br = await h.app.inject({ method: 'GET', url: '/assets/big-3c4d.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/javascript/);
    expect(br.headers['cache-control']).toContain('immutable');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(js);
    const gz = await h.app.inject({ method: 'GET', url: '/assets/big-3c4d.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(js);
    const plain = await h.app.inject({ method: 'GET', url: '/assets/big-3c4d.js', headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(js);
    const api = await h.app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(api.statusCode).toBe(404);
    expect(api.headers['content-type']).toMatch(/problem\+json/);
    const escape = await h.app.inject({ method: 'GET', url: '/..%2f..%2f..%2fetc%2fpasswd' });
    expect(escape.body).not.toContain('root:');
  });
});
