import { describe, expect, it } from 'vitest';
import { isRegression, statusFields } from './issue-state.js';

const resolved = (extra: Partial<Parameters<typeof isRegression>[0]>) => ({ status: 'resolved' as const, resolvedInRelease: null, releases: ['shop@1.0.0'], ...extra });

describe('regression', () => {
  it('resolved now: any new event regresses, whatever its release', () => {
    expect(isRegression(resolved({ resolution: 'now' }), 'shop@1.0.0')).toBe(true);
    expect(isRegression(resolved({ resolution: 'now' }), undefined)).toBe(true);
  });
  it('resolved in a release: only a newer release regresses', () => {
    const i = resolved({ resolution: 'inRelease', resolvedInRelease: 'shop@1.0.0' });
    expect(isRegression(i, 'shop@1.0.0')).toBe(false);
    expect(isRegression(i, 'shop@0.9.0')).toBe(false);
    expect(isRegression(i, 'shop@1.0.1')).toBe(true);
  });
  it('resolved in the next release: the current release keeps firing without regressing, the next one regresses', () => {
    const i = resolved({ resolution: 'inNextRelease', resolvedAfterRelease: 'shop@1.0.0' });
    expect(isRegression(i, 'shop@1.0.0')).toBe(false);
    expect(isRegression(i, undefined)).toBe(false);
    expect(isRegression(i, 'shop@1.1.0')).toBe(true);
  });
  it('unresolved and ignored issues never regress', () => {
    expect(isRegression({ status: 'ignored', resolvedInRelease: null, releases: [] }, 'x')).toBe(false);
  });
});

describe('status fields', () => {
  it('keep the old default (resolved in the latest release) when no resolution is given', () => {
    expect(statusFields('resolved', {}, 'shop@2.0.0')).toEqual({ resolution: 'inRelease', resolvedInRelease: 'shop@2.0.0', resolvedAfterRelease: null });
    expect(statusFields('resolved', {}, null)).toEqual({ resolution: 'now', resolvedInRelease: null, resolvedAfterRelease: null });
  });
  it('remember the current release for "next release", and clear everything when reopened', () => {
    expect(statusFields('resolved', { resolution: 'inNextRelease' }, 'shop@2.0.0')).toEqual({ resolution: 'inNextRelease', resolvedInRelease: null, resolvedAfterRelease: 'shop@2.0.0' });
    expect(statusFields('unresolved', { resolution: 'now' }, 'shop@2.0.0')).toEqual({ resolution: null, resolvedInRelease: null, resolvedAfterRelease: null });
  });
});
