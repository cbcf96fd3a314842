// Recovery objectives: RPO is the age of the last verified backup's snapshot; RTO is the
// measured restore + verify duration. A breach opens once and closes when back in target.

export interface ObjectiveState {
  objective: 'rpo' | 'rto';
  targetSeconds: number;
  /** undefined when nothing has been measured yet (RTO before the first restore). */
  actualSeconds: number | undefined;
  breached: boolean;
}

/** RPO measured from the last verified snapshot; with none, from the policy's creation (never protected). */
export function rpoState(targetSeconds: number, lastVerifiedSnapshotAt: Date | undefined, policyCreatedAt: Date, now: Date): ObjectiveState {
  const since = lastVerifiedSnapshotAt ?? policyCreatedAt;
  const actual = Math.max(0, (now.getTime() - since.getTime()) / 1000);
  return { objective: 'rpo', targetSeconds, actualSeconds: actual, breached: actual > targetSeconds };
}

export function rtoState(targetSeconds: number, lastRtoSeconds: number | undefined): ObjectiveState {
  return {
    objective: 'rto',
    targetSeconds,
    actualSeconds: lastRtoSeconds,
    breached: lastRtoSeconds !== undefined && lastRtoSeconds > targetSeconds,
  };
}

export type BreachTransition = 'open' | 'resolve' | 'none';

export function breachTransition(state: ObjectiveState, openBreach: boolean): BreachTransition {
  if (state.breached && !openBreach) return 'open';
  if (!state.breached && openBreach) return 'resolve';
  return 'none';
}
