// Subject pseudonyms and the participant kit's pure helpers.
import { describe, expect, it } from 'vitest';
import { canonicalJson, heldGround, sha256, subjectRef, tenantKey, type SubjectRequest } from '../src/index.js';

const SECRET = 'a-pseudonymisation-secret-of-32-chars!';

describe('subjectRef', () => {
  it('is stable within a tenant, normalises case and spaces, and differs across tenants and secrets', () => {
    const a = subjectRef(SECRET, 'acme', 'Jane.Doe@Example.com ');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(subjectRef(SECRET, 'acme', ' jane.doe@example.com')).toBe(a);
    expect(subjectRef(SECRET, 'globex', 'jane.doe@example.com')).not.toBe(a);
    expect(subjectRef(`${SECRET}x`, 'acme', 'jane.doe@example.com')).not.toBe(a);
    expect(subjectRef(SECRET, 'acme', 'john@example.com')).not.toBe(a);
    expect(a).not.toContain('jane');
  });

  it('derives one key per tenant', () => {
    expect(tenantKey(SECRET, 'acme')).toHaveLength(32);
    expect(tenantKey(SECRET, 'acme').equals(tenantKey(SECRET, 'acme'))).toBe(true);
    expect(tenantKey(SECRET, 'acme').equals(tenantKey(SECRET, 'globex'))).toBe(false);
  });
});

describe('canonicalJson / sha256', () => {
  it('sorts keys at every depth, drops undefined, keeps array order, so equal data has one checksum', () => {
    const a = { b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' }, u: undefined, n: null };
    const b = { n: null, a: { c: 'x', d: [3, { y: 2, z: 1 }] }, b: 1 };
    expect(canonicalJson(a)).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1,"n":null}');
    expect(canonicalJson(b)).toBe(canonicalJson(a));
    expect(sha256(canonicalJson(a))).toBe(sha256(canonicalJson(b)));
    expect(sha256('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(canonicalJson([1, 'two', true])).toBe('[1,"two",true]');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson('quote"d')).toBe('"quote\\"d"');
  });
});

describe('heldGround', () => {
  const req: SubjectRequest = {
    requestId: 'r1',
    tenantId: 'acme',
    kind: 'erasure',
    identifiers: [{ type: 'email', value: 'jane@example.com' }],
    holds: [{ category: 'billing', ground: 'legal-obligation', reason: 'invoices kept 10 years' }],
  };

  it('names the ground that keeps a category, and none for the others', () => {
    expect(heldGround(req, 'billing')).toBe('legal-obligation: invoices kept 10 years');
    expect(heldGround(req, 'contact')).toBeUndefined();
    expect(heldGround({ ...req, holds: undefined }, 'billing')).toBeUndefined();
  });
});
