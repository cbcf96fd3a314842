// The overview's figures computed on the server: the firing alerts summed up by severity (for the alerts tile and
// the tab title on every screen), and which of a project's recently seen issues are new and which regressed.
export interface ProjectIssues<P, I> {
  project: P;
  /** First seen in the window. */
  newIssues: I[];
  /** Regressed (seen again after being resolved), whenever first seen. */
  regressed: I[];
  /** The page held only the first of the window's issues. */
  truncated: boolean;
}

/** One page of a project's unresolved issues seen since `since` (ISO), split as the tile counts them. */
export function issuesOfLastDay<P, I extends Record<string, unknown>>(project: P, page: { items: I[]; nextCursor: string | null }, since: string): ProjectIssues<P, I> {
  return {
    project,
    newIssues: page.items.filter((i) => typeof i.firstSeen === 'string' && i.firstSeen >= since),
    regressed: page.items.filter((i) => i.substatus === 'regressed'),
    truncated: page.nextCursor !== null,
  };
}

/** Severities in the order the tile shows them; any other severity follows, by name. */
const SEVERITY_ORDER = ['critical', 'warning', 'info'];
const rank = (s: string) => (SEVERITY_ORDER.includes(s) ? SEVERITY_ORDER.indexOf(s) : SEVERITY_ORDER.length);

export interface FiringSummary<A> {
  total: number;
  bySeverity: Record<string, number>;
  /** The most severe first, then the newest: a critical alert is never pushed out by recent warnings. */
  latest: A[];
}

/** Firing alerts counted by severity, with the few the tile lists. */
export function firingSummary<A extends { severity: string; startsAt: string }>(alerts: A[], latest = 5): FiringSummary<A> {
  const bySeverity: Record<string, number> = {};
  for (const a of alerts) bySeverity[a.severity] = (bySeverity[a.severity] ?? 0) + 1;
  const ordered = [...alerts].sort((a, b) => rank(a.severity) - rank(b.severity) || b.startsAt.localeCompare(a.startsAt));
  return { total: alerts.length, bySeverity, latest: ordered.slice(0, latest) };
}
