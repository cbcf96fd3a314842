// Trends over a window: backup durations and sizes, achieved RTOs, and the RPO exposure
// (how old the newest verified snapshot had become just before each new one arrived).

export interface TrendInput {
  backups: { id: string; startedAt: Date; status: string; durationMs: number | null; sizeBytes: number | null; snapshotAt: Date | null; verificationStatus: string }[];
  verifications: { id: string; kind: string; status: string; finishedAt: Date | null; rtoSeconds: number | null; restoreMs: number | null }[];
}

export function buildTrends(input: TrendInput) {
  const verifiedSnapshots = input.backups
    .filter((b) => b.verificationStatus === 'passed' && b.snapshotAt)
    .map((b) => b.snapshotAt!)
    .sort((a, b) => a.getTime() - b.getTime());
  const rpoExposure = verifiedSnapshots.slice(1).map((at, i) => ({ at: at.toISOString(), seconds: (at.getTime() - verifiedSnapshots[i]!.getTime()) / 1000 }));
  const done = input.verifications.filter((v) => v.finishedAt);
  const rtos = done.filter((v) => v.status === 'passed' && v.rtoSeconds !== null).map((v) => v.rtoSeconds!);
  return {
    backups: input.backups
      .filter((b) => b.status !== 'running')
      .map((b) => ({ at: b.startedAt.toISOString(), status: b.status, durationMs: b.durationMs, sizeBytes: b.sizeBytes }))
      .sort((a, b) => a.at.localeCompare(b.at)),
    restores: done
      .map((v) => ({ at: v.finishedAt!.toISOString(), kind: v.kind, status: v.status, rtoSeconds: v.rtoSeconds, restoreMs: v.restoreMs }))
      .sort((a, b) => a.at.localeCompare(b.at)),
    rpoExposure,
    summary: {
      backups: input.backups.filter((b) => b.status !== 'running').length,
      failedBackups: input.backups.filter((b) => b.status === 'failed').length,
      restores: done.length,
      failedRestores: done.filter((v) => v.status === 'failed').length,
      rtoSecondsMax: rtos.length ? Math.max(...rtos) : null,
      rtoSecondsMean: rtos.length ? rtos.reduce((a, b) => a + b, 0) / rtos.length : null,
      rpoExposureSecondsMax: rpoExposure.length ? Math.max(...rpoExposure.map((r) => r.seconds)) : null,
    },
  };
}
