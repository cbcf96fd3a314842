import { describe, expect, it } from 'vitest';
import { addCalendarMonths, breachNotificationDeadline, deadlineState, extendedRequestDeadline, requestDeadline } from './deadlines.js';

const d = (s: string) => new Date(s);

describe('Art. 12(3) deadlines', () => {
  it('counts one month to the matching calendar date', () => {
    expect(requestDeadline(d('2026-03-15T10:00:00Z')).toISOString()).toBe('2026-04-15T23:59:59.999Z');
    expect(requestDeadline(d('2026-12-20T08:00:00Z')).toISOString()).toBe('2027-01-20T23:59:59.999Z');
  });

  it('clamps to the last day of a shorter month', () => {
    expect(requestDeadline(d('2026-01-31T12:00:00Z')).toISOString()).toBe('2026-02-28T23:59:59.999Z');
    expect(requestDeadline(d('2026-03-31T12:00:00Z')).toISOString()).toBe('2026-04-30T23:59:59.999Z');
    expect(requestDeadline(d('2026-05-31T00:00:00Z')).toISOString()).toBe('2026-06-30T23:59:59.999Z');
  });

  it('uses 29 February in leap years', () => {
    expect(requestDeadline(d('2028-01-31T12:00:00Z')).toISOString()).toBe('2028-02-29T23:59:59.999Z');
    expect(requestDeadline(d('2028-01-29T12:00:00Z')).toISOString()).toBe('2028-02-29T23:59:59.999Z');
    expect(requestDeadline(d('2028-02-29T12:00:00Z')).toISOString()).toBe('2028-03-29T23:59:59.999Z');
    expect(addCalendarMonths(d('2024-02-29T00:00:00Z'), 12).toISOString()).toBe('2025-02-28T00:00:00.000Z');
  });

  it('extends by two further months counted from receipt', () => {
    expect(extendedRequestDeadline(d('2026-11-30T09:00:00Z')).toISOString()).toBe('2027-02-28T23:59:59.999Z');
    expect(extendedRequestDeadline(d('2027-11-30T09:00:00Z')).toISOString()).toBe('2028-02-29T23:59:59.999Z');
    expect(extendedRequestDeadline(d('2026-01-31T09:00:00Z')).toISOString()).toBe('2026-04-30T23:59:59.999Z');
  });

  it('handles negative month offsets', () => {
    expect(addCalendarMonths(d('2026-03-31T00:00:00Z'), -1).toISOString()).toBe('2026-02-28T00:00:00.000Z');
  });
});

describe('breach clock and states', () => {
  it('gives 72 hours from awareness, across a month end', () => {
    expect(breachNotificationDeadline(d('2026-02-27T15:30:00Z')).toISOString()).toBe('2026-03-02T15:30:00.000Z');
  });

  it('classifies ok, near and missed', () => {
    const deadline = d('2026-05-10T00:00:00Z');
    const day = 86_400_000;
    expect(deadlineState(d('2026-05-01T00:00:00Z'), deadline, 3 * day)).toBe('ok');
    expect(deadlineState(d('2026-05-08T00:00:00Z'), deadline, 3 * day)).toBe('near');
    expect(deadlineState(d('2026-05-10T00:00:01Z'), deadline, 3 * day)).toBe('missed');
  });
});
