// The front door with two instances of a service (npm start --replicas 2): requests are spread over both,
// and when one stops, the next requests go to the other — at most the request that found it gone fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startHarness, type Browser, type Harness } from './harness.js';

let h: Harness;
let b: Browser;

beforeAll(async () => {
  h = await startHarness('conrepl', {}, { errorReplicas: 2 });
  b = await signIn(h.app, 'admin@vigil.local', await h.adminPassword());
  const res = await b.call({ method: 'POST', url: '/api/session/password', payload: { currentPassword: await h.adminPassword(), newPassword: 'a-much-better-passphrase-42' } });
  if (res.statusCode !== 204) throw new Error(`password change: ${res.body}`);
});
afterAll(async () => h?.close());

describe('front door over replicas', () => {
  it('spreads requests over every ready instance', async () => {
    const before = h.upstreamSeen.length;
    for (let i = 0; i < 6; i++) expect((await b.call({ method: 'GET', url: '/api/errors/v1/projects' })).statusCode).toBe(200);
    const seen = h.upstreamSeen.slice(before).filter((s) => s.url.startsWith('/v1/projects'));
    expect(seen).toHaveLength(6);
    expect(seen.filter((s) => s.instance === 0)).toHaveLength(3);
    expect(seen.filter((s) => s.instance === 1)).toHaveLength(3);
  });

  it('leaves out an instance that stopped answering, and the console health lists each instance', async () => {
    // What was written through one instance is read through the other: the state is in PostgreSQL.
    const created = await b.call({ method: 'POST', url: '/api/errors/v1/projects', payload: { name: 'replicated' } });
    expect(created.statusCode).toBe(201);

    await h.errorInstances[1]!.app.close();
    const statuses: number[] = [];
    const before = h.upstreamSeen.length;
    for (let i = 0; i < 6; i++) statuses.push((await b.call({ method: 'GET', url: '/api/errors/v1/projects' })).statusCode);
    // The request that found instance 1 gone may fail with the console's 502; every later one is answered.
    expect(statuses.filter((s) => s !== 200).every((s) => s === 502)).toBe(true);
    expect(statuses.filter((s) => s === 502).length).toBeLessThanOrEqual(1);
    expect(statuses.slice(-4)).toEqual([200, 200, 200, 200]);
    const seen = h.upstreamSeen.slice(before).filter((s) => s.url.startsWith('/v1/projects'));
    expect(seen.every((s) => s.instance === 0)).toBe(true);
    const listed = await b.call({ method: 'GET', url: '/api/errors/v1/projects' });
    expect(JSON.stringify(listed.json())).toContain('replicated');

    const health = (await h.app.inject({ method: 'GET', url: '/api/health' })).json() as {
      services: { errors: { status: string; instances: Record<string, { status: string }> } };
    };
    expect(health.services.errors.status).toBe('ready');
    expect(health.services.errors.instances[h.errorInstances[0]!.url]!.status).toBe('ready');
    expect(health.services.errors.instances[h.errorInstances[1]!.url]!.status).toBe('unreachable');
  });
});
