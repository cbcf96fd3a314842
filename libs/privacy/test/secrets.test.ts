// sealSecret/openSecret (one versioned format), and the redactors.
import { describe, expect, it } from 'vitest';
import { isSealed, openSecret, redactSecrets, redactUrl, sealSecret, SecretError } from '../src/index.js';

const KEY = 'a-perfectly-good-32-character-key!!';

describe('sealSecret / openSecret', () => {
  it('round-trips, with a fresh nonce each time, in the vs1 format', () => {
    const plain = 'postgres://app:hunter2@db.internal:5432/shop?sslmode=require ünïcødé';
    const a = sealSecret(plain, KEY, 'perf.target-dsn');
    const b = sealSecret(plain, KEY, 'perf.target-dsn');
    expect(a).toMatch(/^vs1:[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('hunter2');
    expect(isSealed(a)).toBe(true);
    expect(isSealed(plain)).toBe(false);
    expect(openSecret(a, KEY, 'perf.target-dsn')).toBe(plain);
    expect(openSecret(b, KEY, 'perf.target-dsn')).toBe(plain);
    expect(openSecret(sealSecret('', KEY), KEY)).toBe('');
  });

  it('refuses a wrong key, a wrong context, a tampered value, a truncated value and an unknown version', () => {
    const sealed = sealSecret('s3cret', KEY, 'dr.source-url');
    expect(() => openSecret(sealed, `${KEY}x`, 'dr.source-url')).toThrow(SecretError);
    expect(() => openSecret(sealed, KEY, 'perf.target-dsn')).toThrow(/wrong key or context, or the value was altered/);
    const raw = Buffer.from(sealed.slice(4), 'base64url');
    for (const at of [0, 13, raw.length - 1]) {
      const bent = Buffer.from(raw);
      bent[at] = bent[at]! ^ 1;
      expect(() => openSecret(`vs1:${bent.toString('base64url')}`, KEY, 'dr.source-url')).toThrow(SecretError);
    }
    expect(() => openSecret('vs1:AAAA', KEY)).toThrow(/truncated/);
    expect(() => openSecret(`vs2:${sealed.slice(4)}`, KEY)).toThrow(/unknown sealed-secret format/);
    expect(() => openSecret('v1:abc:def:ghi', KEY)).toThrow(SecretError);
    expect(() => sealSecret('x', '')).toThrow(/key is empty/);
  });
});

describe('redactUrl', () => {
  it('masks the password and password-like parameters, keeps the rest', () => {
    expect(redactUrl('postgres://user:hunter2@host:5432/db')).toBe('postgres://user:***@host:5432/db');
    expect(redactUrl('postgres://user@host/db')).toBe('postgres://user@host/db');
    expect(redactUrl('postgres://u:p%40ss@h/db?sslmode=require&password=x&application_name=a')).toBe('postgres://u:***@h/db?sslmode=require&password=***&application_name=a');
    expect(redactUrl('not a url hunter2')).toBe('(unparseable)');
  });
});

describe('redactSecrets', () => {
  it('replaces each secret value, also URL-encoded, and leaves short or empty values alone', () => {
    const text = 'pg_dump: connection to "postgres://app:p@ss w0rd@db/x" failed for p%40ss%20w0rd; token abc123';
    expect(redactSecrets(text, ['p@ss w0rd', 'abc123', '', undefined, 'x'])).toBe(
      'pg_dump: connection to "postgres://app:[redacted]@db/x" failed for [redacted]; token [redacted]',
    );
  });
});
