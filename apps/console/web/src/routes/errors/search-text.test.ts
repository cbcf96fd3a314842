import { describe, expect, it } from 'vitest';
import { composeSearch, parseSearch } from './search-text';

describe('issue search text', () => {
  it('turns tokens into filters and leaves the rest as the title search', () => {
    expect(parseSearch('is:resolved level:error release:shop@1.2 env:prod region:eu cart vanished')).toEqual({
      errors: [],
      status: 'resolved',
      level: 'error',
      release: 'shop@1.2',
      environment: 'prod',
      tag: 'region:eu',
      query: 'cart vanished',
    });
  });
  it('names what it does not understand', () => {
    expect(parseSearch('is:broken level:loud').errors).toHaveLength(2);
  });
  it('round-trips through the URL filters, quoting values with spaces', () => {
    const f = { status: 'ignored' as const, view: 'regressed' as const, tag: 'browser:Chrome 120', query: 'boom' };
    expect(composeSearch(f)).toBe('is:ignored is:regressed browser:"Chrome 120" boom');
    const back = parseSearch(composeSearch(f));
    expect(back).toMatchObject(f);
  });
});
