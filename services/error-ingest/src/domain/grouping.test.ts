import { describe, expect, it } from 'vitest';
import { groupingOf } from './fingerprint.js';
import { compareReleases, isRegression } from './issue-state.js';
import { parameterise } from './parameterise.js';
import { DEFAULT_SCRUBBING, scrubString } from './scrub.js';
import { detectSpike } from './spike.js';

describe('parameterise', () => {
  it('replaces numbers, UUIDs, hex, emails, URLs, IPs and timestamps', () => {
    expect(parameterise('user 42 at 2026-01-02T03:04:05Z from 10.0.0.1 id 3f2a9c1e-1111-4222-8333-444455556666 ptr 0xdeadbeef hash a1b2c3d4e5f6 mail x@y.com url https://a.b/c?d=1')).toBe(
      'user <int> at <timestamp> from <ip> id <uuid> ptr <hex> hash <hex> mail <email> url <url>',
    );
  });
});

describe('groupingOf', () => {
  const frames = [
    { filename: '/srv/releases/101/src/app.js', function: 'main', in_app: true },
    { filename: 'node_modules/x/index.js', function: 'lib', in_app: false },
  ];
  it('groups by in-app frames regardless of deploy paths and exception values', () => {
    const a = groupingOf({ exceptions: [{ type: 'E', value: 'id 1' }], frames });
    const b = groupingOf({ exceptions: [{ type: 'E', value: 'something else' }], frames: frames.map((f) => ({ ...f, filename: f.filename.replace('101', '102') })) });
    expect(a).toEqual(b);
    expect(a.rule).toBe('frames');
  });
  it('falls back to type and parameterised value, then to the message', () => {
    const a = groupingOf({ exceptions: [{ type: 'E', value: 'order 1 of user a@b.io' }], frames: [] });
    const b = groupingOf({ exceptions: [{ type: 'E', value: 'order 7 of user c@d.io' }], frames: [] });
    expect(a.hash).toBe(b.hash);
    expect(a.rule).toBe('exception');
    expect(groupingOf({ exceptions: [], frames: [], message: 'x 1' }).rule).toBe('message');
  });
  it('uses a custom fingerprint, expanding {{ default }}', () => {
    const base = { exceptions: [{ type: 'E', value: 'v' }], frames: [] };
    const withDefault = groupingOf({ ...base, fingerprint: ['{{ default }}', 'a'] });
    expect(withDefault.rule).toBe('custom');
    expect(withDefault.hash).not.toBe(groupingOf({ ...base, fingerprint: ['{{ default }}', 'b'] }).hash);
    expect(groupingOf({ ...base, fingerprint: ['only'] }).hash).toBe(groupingOf({ exceptions: [{ type: 'Other' }], frames: [], fingerprint: ['only'] }).hash);
  });
});

describe('scrubString', () => {
  it('removes emails, Luhn-valid card numbers, IPs and bearer tokens; keeps releases and ordinary numbers', () => {
    expect(scrubString('mail a.b@c.org card 4111 1111 1111 1111 ip 192.168.0.1 Bearer abcdefghijk', DEFAULT_SCRUBBING)).toBe(
      'mail [email] card [card] ip [ip] Bearer [Filtered]',
    );
    expect(scrubString('shop@1.2.3 order 1234567890123', DEFAULT_SCRUBBING)).toBe('shop@1.2.3 order 1234567890123');
  });
});

describe('regression and releases', () => {
  it('compares dotted versions numerically', () => {
    expect(compareReleases('app@1.10.0', 'app@1.9.9')).toBe(1);
    expect(compareReleases('v2', '2.0.0')).toBe(0);
    expect(compareReleases('abc', '1.0')).toBeUndefined();
  });
  it('regresses only a resolved issue seen in a newer release', () => {
    const resolved = { status: 'resolved' as const, resolvedInRelease: '1.2.0', releases: ['1.1.0', '1.2.0'] };
    expect(isRegression(resolved, '1.3.0')).toBe(true);
    expect(isRegression(resolved, '1.2.0')).toBe(false);
    expect(isRegression(resolved, '1.1.0')).toBe(false);
    expect(isRegression({ ...resolved, resolvedInRelease: 'abc' }, 'def')).toBe(true);
    expect(isRegression({ ...resolved, status: 'ignored' }, '9.0.0')).toBe(false);
    expect(isRegression({ ...resolved, resolvedInRelease: null }, undefined)).toBe(true);
  });
});

describe('detectSpike', () => {
  it('flags a jump far above a steady baseline, not normal noise or tiny counts', () => {
    const steady = Array.from({ length: 60 }, (_, i) => 10 + (i % 3));
    expect(detectSpike(steady, 80, { minCount: 20, zThreshold: 4 }).spike).toBe(true);
    expect(detectSpike(steady, 13, { minCount: 20, zThreshold: 4 }).spike).toBe(false);
    expect(detectSpike(Array(60).fill(0), 3, { minCount: 20, zThreshold: 4 }).spike).toBe(false);
  });
});
