import { describe, expect, it } from 'vitest';
import { parseApiKey } from '@vigil/service-kit';
import { generatePassword, hashPassword, passwordProblem, verifyPassword } from './passwords.js';
import { serviceKey } from './service-key.js';
import { expiresAt, isExpired } from './sessions.js';

describe('service keys', () => {
  it('are deterministic per (secret, tenant, role), distinct otherwise, and in the kit key format', () => {
    const k = serviceKey('s'.repeat(40), 'acme', 'read');
    expect(serviceKey('s'.repeat(40), 'acme', 'read')).toBe(k);
    expect(serviceKey('s'.repeat(40), 'acme', 'write')).not.toBe(k);
    expect(serviceKey('s'.repeat(40), 'other', 'read')).not.toBe(k);
    expect(serviceKey('t'.repeat(40), 'acme', 'read')).not.toBe(k);
    expect(parseApiKey(k)).toBeDefined();
  });
});

describe('passwords', () => {
  it('verifies its own hashes and nothing else', async () => {
    const h = await hashPassword('a good long passphrase');
    expect(await verifyPassword('a good long passphrase', h)).toBe(true);
    expect(await verifyPassword('a good long passphrasE', h)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });
  it('has a policy that names the problem', () => {
    expect(passwordProblem('short', 'a@b.c')).toMatch(/12 characters/);
    expect(passwordProblem('aaaaaaaaaaaaaaa', 'a@b.c')).toBeDefined();
    expect(passwordProblem('alice-is-my-password', 'alice@b.c')).toMatch(/email/);
    expect(passwordProblem(generatePassword(), 'admin@vigil.local')).toBeUndefined();
  });
});

describe('session expiry', () => {
  const policy = { idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 };
  const t0 = new Date('2026-01-01T00:00:00Z');
  const at = (ms: number) => new Date(t0.getTime() + ms);
  it('slides with activity up to the absolute end', () => {
    const s = { createdAt: t0, lastSeenAt: at(60_000), absoluteExpiresAt: at(policy.absoluteMs) };
    expect(expiresAt(s, policy)).toEqual(at(60_000 + policy.idleMs));
    expect(isExpired(s, policy, at(60_000 + policy.idleMs - 1))).toBe(false);
    expect(isExpired(s, policy, at(60_000 + policy.idleMs))).toBe(true);
    const late = { ...s, lastSeenAt: at(policy.absoluteMs - 1_000) };
    expect(expiresAt(late, policy)).toEqual(at(policy.absoluteMs));
  });
});
