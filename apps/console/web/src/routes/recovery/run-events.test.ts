import { describe, expect, it } from 'vitest';
import { eventsOfRun, type ProgressEvent } from './run-events';

const ev = (operationId: string, kind: ProgressEvent['kind'], percent: number): ProgressEvent => ({ policyId: 'p', operationId, kind, phase: 'x', percent, at: '2026-12-01T10:00:00Z' });

describe('eventsOfRun', () => {
  const earlier = [ev('old-verification', 'verification', 50), ev('old-backup', 'backup', 100)];
  it('takes a backup and the verification restore that follows it, not what ran before', () => {
    const all = [...earlier, ev('b1', 'backup', 0), ev('b1', 'backup', 100), ev('v1', 'verification', 10), ev('v1', 'verification', 100)];
    expect(eventsOfRun(all, { kind: 'backup', id: 'b1', backupId: 'b1' }).map((e) => `${e.operationId}:${e.percent}`)).toEqual(['b1:0', 'b1:100', 'v1:10', 'v1:100']);
  });
  it('has nothing before the backup reports', () => {
    expect(eventsOfRun(earlier, { kind: 'backup', id: 'b1', backupId: 'b1' })).toEqual([]);
  });
  it('takes a drill by its verification id only', () => {
    const all = [...earlier, ev('d1', 'drill', 20), ev('other', 'drill', 30), ev('d1', 'drill', 100)];
    expect(eventsOfRun(all, { kind: 'drill', id: 'd1', backupId: 'b0' }).map((e) => e.percent)).toEqual([20, 100]);
  });
});
