// Drills restore to a moment between two heartbeats Vigil wrote: the one before must be in the
// restored copy, the one after must not. Pure.
import type { Check } from './facts.js';

export interface Beat {
  id: number;
  at: Date;
}

export interface DrillTarget {
  target: Date;
  before: Beat;
  after: Beat | null;
}

/**
 * A target between two consecutive heartbeats both after `from` (the backup's end) and
 * archived (at or before `archivedUntil`); `wanted` picks the pair around a given moment.
 */
export function chooseDrillTarget(beats: Beat[], from: Date, archivedUntil: Date, wanted?: Date, random = Math.random): DrillTarget | string {
  if (wanted) {
    const before = beats.filter((b) => b.at < wanted).at(-1);
    if (!before) return `no heartbeat before ${wanted.toISOString()}`;
    return { target: wanted, before, after: beats.find((b) => b.at > wanted) ?? null };
  }
  const pairs: [Beat, Beat][] = [];
  for (let i = 0; i + 1 < beats.length; i++) if (beats[i]!.at > from && beats[i + 1]!.at <= archivedUntil) pairs.push([beats[i]!, beats[i + 1]!]);
  if (!pairs.length) return 'no two archived heartbeats after the backup yet';
  const [before, after] = pairs[Math.floor(random() * pairs.length)]!;
  return { target: new Date((before.at.getTime() + after.at.getTime()) / 2), before, after };
}

export function pitrBoundaryCheck(t: DrillTarget, present: Beat[]): Check {
  const ids = new Set(present.map((b) => b.id));
  const problems: string[] = [];
  if (!ids.has(t.before.id)) problems.push(`heartbeat ${t.before.id} written ${t.before.at.toISOString()} (before the target) is missing`);
  if (t.after && ids.has(t.after.id)) problems.push(`heartbeat ${t.after.id} written ${t.after.at.toISOString()} (after the target) is present`);
  if (problems.length) return { name: 'pitr_boundary', outcome: 'failed', detail: problems.join('; ') };
  return {
    name: 'pitr_boundary',
    outcome: t.after ? 'passed' : 'skipped',
    detail: `target ${t.target.toISOString()}: heartbeat before present${t.after ? ', heartbeat after absent' : '; no heartbeat after the target to prove absent'}`,
  };
}
