import { describe, expect, it } from 'vitest';
import { breachClock, daysLeft } from './deadline';

const at = (s: string) => Date.parse(s);

describe('daysLeft', () => {
  const received = '2026-01-01T00:00:00.000Z';
  const deadline = '2026-02-01T00:00:00.000Z'; // 31 days

  it('is ok with most of the month left, warning under half, red under a quarter', () => {
    expect(daysLeft(received, deadline, at('2026-01-02T00:00:00Z'), true)).toMatchObject({ days: 30, tone: 'ok', label: '30 d left' });
    expect(daysLeft(received, deadline, at('2026-01-20T00:00:00Z'), true)).toMatchObject({ days: 12, tone: 'warning' });
    // 7 of 31 days left is 22.6 %: red.
    expect(daysLeft(received, deadline, at('2026-01-25T00:00:00Z'), true)).toMatchObject({ days: 7, tone: 'critical' });
    expect(daysLeft(received, deadline, at('2026-01-24T00:00:00Z'), true).tone).toBe('warning'); // 8/31 = 25.8 %
  });

  it('counts hours on the last day and days once overdue', () => {
    expect(daysLeft(received, deadline, at('2026-01-31T19:00:00Z'), true).label).toBe('5 h left');
    expect(daysLeft(received, deadline, at('2026-02-03T12:00:00Z'), true)).toMatchObject({ days: -3, tone: 'critical', label: '3 d overdue' });
  });

  it('judges an extended request against its longer period', () => {
    // Three months from receipt: 20 days before the end is 22 % of 90 days — red; against one month it would be ok.
    expect(daysLeft(received, '2026-04-01T00:00:00.000Z', at('2026-03-12T00:00:00Z'), true).tone).toBe('critical');
  });

  it('shows no urgency once closed', () => {
    expect(daysLeft(received, deadline, at('2026-03-01T00:00:00Z'), false).tone).toBe('muted');
  });
});

describe('breachClock', () => {
  const aware = '2026-01-01T00:00:00.000Z';
  const deadline = '2026-01-04T00:00:00.000Z';
  it('counts down the 72 hours to the second and turns red in the last 18', () => {
    const c = breachClock(aware, deadline, at('2026-01-01T03:30:15Z'));
    expect(c.label).toBe('68 h 29 min 45 s left');
    expect(c.tone).toBe('ok');
    expect(breachClock(aware, deadline, at('2026-01-03T07:00:00Z')).tone).toBe('critical');
    expect(breachClock(aware, deadline, at('2026-01-04T02:00:00Z')).label).toBe('2 h 00 min 00 s overdue');
  });
});
