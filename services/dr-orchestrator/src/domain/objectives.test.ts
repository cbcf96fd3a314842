import { describe, expect, it } from 'vitest';
import { breachTransition, rpoState, rtoState } from './objectives.js';
import { backupsToExpire } from './retention.js';
import { cronProblem, isDue, nextRunAfter } from './schedule.js';

const at = (s: string) => new Date(s);

describe('RPO and RTO', () => {
  it('measures RPO from the last verified snapshot, else from policy creation', () => {
    const now = at('2026-01-02T00:00:00Z');
    expect(rpoState(3600, at('2026-01-01T23:30:00Z'), at('2025-01-01T00:00:00Z'), now)).toMatchObject({ actualSeconds: 1800, breached: false });
    expect(rpoState(3600, undefined, at('2026-01-01T22:00:00Z'), now)).toMatchObject({ actualSeconds: 7200, breached: true });
  });

  it('never breaches an unmeasured RTO', () => {
    expect(rtoState(60, undefined).breached).toBe(false);
    expect(rtoState(60, 61).breached).toBe(true);
  });

  it('opens a breach once and resolves it once', () => {
    const breached = rtoState(60, 90);
    expect(breachTransition(breached, false)).toBe('open');
    expect(breachTransition(breached, true)).toBe('none');
    expect(breachTransition(rtoState(60, 30), true)).toBe('resolve');
  });
});

describe('retention', () => {
  const b = (id: string, day: number, v: 'pending' | 'passed' | 'failed') => ({ id, startedAt: at(`2026-01-${String(day).padStart(2, '0')}T00:00:00Z`), verificationStatus: v });

  it('keeps the newest N', () => {
    expect(backupsToExpire([b('a', 1, 'passed'), b('b', 2, 'passed'), b('c', 3, 'passed')], 2)).toEqual(['a']);
  });

  it('never expires the only verified backup', () => {
    expect(backupsToExpire([b('a', 1, 'passed'), b('b', 2, 'failed'), b('c', 3, 'pending')], 2)).toEqual([]);
  });
});

describe('schedules', () => {
  it('explains invalid cron expressions', () => {
    expect(cronProblem('0 3 * * *')).toBeUndefined();
    expect(cronProblem('*/2 * * * * *')).toBeUndefined();
    expect(cronProblem('0 3 * *')).toMatch(/must have 5 or 6 fields, has 4/);
    expect(cronProblem('0 25 * * *')).toMatch(/is invalid/);
  });

  it('finds the next UTC run and whether one was missed', () => {
    expect(nextRunAfter('0 3 * * *', at('2026-01-01T02:59:00Z'))?.toISOString()).toBe('2026-01-01T03:00:00.000Z');
    expect(isDue('0 3 * * *', at('2026-01-01T02:00:00Z'), at('2026-01-01T03:00:30Z'))).toBe(true);
    expect(isDue('0 3 * * *', at('2026-01-01T03:00:00Z'), at('2026-01-01T04:00:00Z'))).toBe(false);
  });
});
