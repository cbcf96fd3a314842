// Which dr.progress events belong to a run started from the console (pure, so it is tested on its own).

export interface Run {
  kind: 'backup' | 'drill';
  /** The backup's id (backup) or the drill's verification id (drill). */
  id: string;
  backupId: string;
}

export interface ProgressEvent {
  policyId: string;
  operationId: string;
  kind: 'backup' | 'verification' | 'drill';
  phase: string;
  percent: number;
  at: string;
}

/**
 * The events of this run. A backup's own events carry its id; the verification restore that follows it is the
 * next operation on the policy (one at a time per policy), so its events are the verification events after it.
 */
export function eventsOfRun(all: ProgressEvent[], run: Run): ProgressEvent[] {
  if (run.kind === 'drill') return all.filter((e) => e.operationId === run.id);
  const first = all.findIndex((e) => e.operationId === run.backupId);
  if (first < 0) return [];
  return all.slice(first).filter((e) => e.operationId === run.backupId || e.kind === 'verification');
}

