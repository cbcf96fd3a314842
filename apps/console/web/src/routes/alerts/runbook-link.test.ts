import { describe, expect, it } from 'vitest';
import { runbookTarget } from './runbook-link';

const origin = 'http://127.0.0.1:4100';

describe('runbook links', () => {
  it('opens Vigil’s own runbooks in the console', () => {
    expect(runbookTarget('http://127.0.0.1:4105/v1/runbooks/restore-failed', origin)).toEqual({ kind: 'console', path: '/runbooks/restore-failed' });
    expect(runbookTarget('https://dr.example.com/v1/runbooks/rpo-breach', origin)).toEqual({ kind: 'console', path: '/runbooks/rpo-breach' });
    expect(runbookTarget('/recovery/runbooks/rto-breach', origin)).toEqual({ kind: 'console', path: '/runbooks/rto-breach' });
  });
  it('leaves other links as they are, and refuses what is not http(s)', () => {
    expect(runbookTarget('https://wiki.example.com/runbooks/db-lag', origin)).toEqual({ kind: 'external', url: 'https://wiki.example.com/runbooks/db-lag' });
    expect(runbookTarget('javascript:alert(1)', origin)).toBeUndefined();
    expect(runbookTarget(undefined, origin)).toBeUndefined();
  });
});
