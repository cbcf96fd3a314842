import { describe, expect, it } from 'vitest';
import { expiredMonths, monthOf, monthOfSuffix, monthsAround } from './months.js';

describe('event partition months', () => {
  it('maps a time to its UTC month and back from the suffix', () => {
    const m = monthOf(new Date('2026-12-31T23:59:59.999Z'));
    expect(m).toEqual({ suffix: '202612', start: new Date('2026-12-01T00:00:00Z'), end: new Date('2027-01-01T00:00:00Z') });
    expect(monthOfSuffix('202612')).toEqual(m);
    expect(monthOfSuffix('202613')).toBeUndefined();
    expect(monthOfSuffix('unpartitioned')).toBeUndefined();
  });

  it('keeps the previous, current and next month, and expires only months wholly before the cutoff', () => {
    expect(monthsAround(new Date('2026-01-15T00:00:00Z')).map((m) => m.suffix)).toEqual(['202512', '202601', '202602']);
    const months = ['202608', '202609', '202610'].map((s) => monthOfSuffix(s)!);
    expect(expiredMonths(months, new Date('2026-10-01T00:00:00Z')).map((m) => m.suffix)).toEqual(['202608', '202609']);
    expect(expiredMonths(months, new Date('2026-09-30T23:59:59Z')).map((m) => m.suffix)).toEqual(['202608']);
  });
});
