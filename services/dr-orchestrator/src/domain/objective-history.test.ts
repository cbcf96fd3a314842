import { describe, expect, it } from 'vitest';
import { historyPoint, type RestoreMeasure } from './objective-history.js';

const restore = (over: Partial<RestoreMeasure> = {}): RestoreMeasure => ({
  verificationId: '6f1c2a9e-7d1b-4c55-9b43-1a2b3c4d5e6f',
  backupId: 'b',
  kind: 'verification',
  status: 'passed',
  finishedAt: new Date('2026-12-01T10:00:30Z'),
  rtoSeconds: 12,
  verifiedRpoSeconds: null,
  snapshotAt: new Date('2026-12-01T10:00:00Z'),
  ...over,
});
const logical = { kind: 'logical', rpoTargetSeconds: 60, rtoTargetSeconds: 10 };

describe('objective history', () => {
  it('measures a logical restore: the snapshot age when proven, and the RTO, against the targets', () => {
    expect(historyPoint(restore(), logical)).toMatchObject({ rpoSeconds: 30, rtoSeconds: 12, rpoMet: true, rtoMet: false, at: '2026-12-01T10:00:30.000Z' });
  });
  it('a failed restore proves no RPO and no RTO', () => {
    expect(historyPoint(restore({ status: 'failed' }), logical)).toMatchObject({ rpoSeconds: null, rpoMet: null, rtoMet: null });
  });
  it('a physical restore reports the heartbeat gap it found', () => {
    expect(historyPoint(restore({ verifiedRpoSeconds: 90 }), { ...logical, kind: 'physical' })).toMatchObject({ rpoSeconds: 90, rpoMet: false });
  });
});
