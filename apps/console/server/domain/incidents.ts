// Incident lifecycle: open → acknowledged → resolved (and reopened), and the durations recorded on
// resolving: time to acknowledge and time to resolve, both counted from when the trouble started
// (the earliest alert's start, or the opening when no alert is attached). Pure.
export const INCIDENT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
export type IncidentSeverity = 'info' | 'warning' | 'critical';

const ALLOWED: Record<IncidentStatus, IncidentStatus[]> = {
  open: ['acknowledged', 'resolved'],
  acknowledged: ['resolved', 'open'],
  resolved: ['open'],
};

export const canMove = (from: IncidentStatus, to: IncidentStatus): boolean => ALLOWED[from].includes(to);

export interface Timestamps {
  startedAt: Date;
  acknowledgedAt: Date | null;
  resolvedAt: Date | null;
}

/** The timestamps after moving to `to` at `now`; resolving without acknowledging counts the resolution as the acknowledgement. */
export function moveTo(t: Timestamps, to: IncidentStatus, now: Date): Timestamps & { ttaSeconds: number | null; ttrSeconds: number | null } {
  if (to === 'open') return { ...t, resolvedAt: null, ttaSeconds: t.acknowledgedAt ? secondsBetween(t.startedAt, t.acknowledgedAt) : null, ttrSeconds: null };
  const acknowledgedAt = t.acknowledgedAt ?? now;
  if (to === 'acknowledged') return { ...t, acknowledgedAt, resolvedAt: null, ttaSeconds: secondsBetween(t.startedAt, acknowledgedAt), ttrSeconds: null };
  return { ...t, acknowledgedAt, resolvedAt: now, ttaSeconds: secondsBetween(t.startedAt, acknowledgedAt), ttrSeconds: secondsBetween(t.startedAt, now) };
}

const secondsBetween = (a: Date, b: Date) => Math.max(0, Math.round((b.getTime() - a.getTime()) / 100) / 10);

const RANK: Record<IncidentSeverity, number> = { info: 0, warning: 1, critical: 2 };
/** An incident is as severe as its worst alert. */
export const worstSeverity = (xs: string[]): IncidentSeverity =>
  xs.reduce<IncidentSeverity>((w, x) => (x in RANK && RANK[x as IncidentSeverity] > RANK[w] ? (x as IncidentSeverity) : w), 'info');

/** When the trouble started: the earliest alert, or `openedAt`. */
export const startOf = (alertStarts: Date[], openedAt: Date): Date => alertStarts.reduce((a, b) => (b.getTime() < a.getTime() ? b : a), openedAt);
