// One point of the RPO/RTO history per finished restore: what it measured, against the policy's targets.
// RTO is the restore's measured time. The verified RPO is how much data a disaster at the moment the restore
// was proven would have lost: for a logical backup the age of its snapshot then, for a physical one the gap
// to the newest heartbeat found in the copy. A failed restore proves nothing: its RPO is null.

export interface RestoreMeasure {
  verificationId: string;
  backupId: string;
  kind: 'verification' | 'drill';
  status: 'passed' | 'failed';
  finishedAt: Date;
  rtoSeconds: number | null;
  verifiedRpoSeconds: number | null;
  snapshotAt: Date | null;
}

export interface ObjectiveHistoryPoint {
  at: string;
  verificationId: string;
  backupId: string;
  kind: 'verification' | 'drill';
  status: 'passed' | 'failed';
  rpoSeconds: number | null;
  rtoSeconds: number | null;
  rpoTargetSeconds: number;
  rtoTargetSeconds: number;
  rpoMet: boolean | null;
  rtoMet: boolean | null;
}

export function verifiedRpoSeconds(r: RestoreMeasure, physical: boolean): number | null {
  if (r.status !== 'passed') return null;
  if (physical) return r.verifiedRpoSeconds;
  if (!r.snapshotAt) return null;
  return Math.max(0, (r.finishedAt.getTime() - r.snapshotAt.getTime()) / 1000);
}

export function historyPoint(r: RestoreMeasure, policy: { kind: string; rpoTargetSeconds: number; rtoTargetSeconds: number }): ObjectiveHistoryPoint {
  const rpo = verifiedRpoSeconds(r, policy.kind === 'physical');
  return {
    at: r.finishedAt.toISOString(),
    verificationId: r.verificationId,
    backupId: r.backupId,
    kind: r.kind,
    status: r.status,
    rpoSeconds: rpo,
    rtoSeconds: r.rtoSeconds,
    rpoTargetSeconds: policy.rpoTargetSeconds,
    rtoTargetSeconds: policy.rtoTargetSeconds,
    rpoMet: rpo === null ? null : rpo <= policy.rpoTargetSeconds,
    rtoMet: r.rtoSeconds === null || r.status !== 'passed' ? null : r.rtoSeconds <= policy.rtoTargetSeconds,
  };
}
