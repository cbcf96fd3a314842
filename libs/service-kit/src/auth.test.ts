// Where a request's API key is read from: bearer, HTTP Basic (the key as password), X-API-Key.
import { describe, expect, it } from 'vitest';
import { presentedKey } from './auth.js';

const KEY = 'vgl_abcdefgh1234_ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const basic = (userPass: string) => `Basic ${Buffer.from(userPass).toString('base64')}`;

describe('presentedKey', () => {
  it('reads a bearer token, whatever the scheme case', () => {
    expect(presentedKey({ authorization: `Bearer ${KEY}` })).toBe(KEY);
    expect(presentedKey({ authorization: `bearer  ${KEY} ` })).toBe(KEY);
  });

  it('reads HTTP Basic with the key as the password and any username', () => {
    expect(presentedKey({ authorization: basic(`prometheus:${KEY}`) })).toBe(KEY);
    expect(presentedKey({ authorization: basic(`:${KEY}`) })).toBe(KEY);
    expect(presentedKey({ authorization: `basic ${Buffer.from(`amtool:${KEY}`).toString('base64')}` })).toBe(KEY);
    // The password may itself hold a colon; only the first one separates the username.
    expect(presentedKey({ authorization: basic('u:a:b') })).toBe('a:b');
  });

  it('gives an empty (invalid) key for Basic credentials without a password', () => {
    expect(presentedKey({ authorization: basic(KEY) })).toBe('');
    expect(presentedKey({ authorization: basic('user:') })).toBe('');
  });

  it('falls back to X-API-Key, and to nothing for other schemes', () => {
    expect(presentedKey({ 'x-api-key': ` ${KEY} ` })).toBe(KEY);
    expect(presentedKey({ authorization: 'Digest abc', 'x-api-key': KEY })).toBe(KEY);
    expect(presentedKey({ authorization: 'Digest abc' })).toBeUndefined();
    expect(presentedKey({ authorization: 'Bearer ' })).toBeUndefined();
    expect(presentedKey({})).toBeUndefined();
  });
});
