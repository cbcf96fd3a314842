// Issue lifecycle: what one more occurrence does to an issue's status.
export type IssueStatus = 'unresolved' | 'resolved' | 'ignored';

/** Compares dotted numeric versions (`app@1.10.2`, `v2.0`); undefined when either is not one. */
export function compareReleases(a: string, b: string): number | undefined {
  const parse = (r: string) => {
    const m = /(\d+(?:\.\d+)*)/.exec(r.includes('@') ? r.slice(r.lastIndexOf('@') + 1) : r);
    return m ? m[1]!.split('.').map(Number) : undefined;
  };
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return undefined;
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d) return Math.sign(d);
  }
  return 0;
}

/** How a resolve was meant: any new event regresses (`now`), or only events of a newer release. */
export type Resolution = 'now' | 'inRelease' | 'inNextRelease';

export interface ResolvedIssue {
  status: IssueStatus;
  resolvedInRelease: string | null;
  releases: string[];
  resolution?: Resolution | null;
  /** inNextRelease: the release that was current at the resolve; its events do not regress the issue. */
  resolvedAfterRelease?: string | null;
}

/** True when `release` is a different release newer than `than` (by version, else by not having been seen). */
function newerRelease(release: string, than: string, seen: string[]): boolean {
  if (release === than) return false;
  const cmp = compareReleases(release, than);
  if (cmp !== undefined) return cmp > 0;
  return !seen.includes(release);
}

/**
 * Whether one more event regresses a resolved issue. Resolved `now` (or in no known release): any event.
 * In a release: an event of a newer release. In the next release: an event of a release newer than the
 * one that was current when it was resolved (the fix was to ship in the next one); events without a
 * release cannot say, so they do not regress it.
 */
export function isRegression(issue: ResolvedIssue, release: string | undefined): boolean {
  if (issue.status !== 'resolved') return false;
  if (issue.resolution === 'now') return true;
  if (issue.resolution === 'inNextRelease') {
    if (!issue.resolvedAfterRelease) return true;
    return !!release && newerRelease(release, issue.resolvedAfterRelease, issue.releases);
  }
  if (!issue.resolvedInRelease) return true;
  if (!release) return false;
  return newerRelease(release, issue.resolvedInRelease, issue.releases);
}

/** The fields a status change stores, given the request and the issue's latest release. */
export function statusFields(
  status: IssueStatus,
  change: { resolution?: Resolution; resolvedInRelease?: string },
  lastRelease: string | null,
): { resolution: Resolution | null; resolvedInRelease: string | null; resolvedAfterRelease: string | null } {
  if (status !== 'resolved') return { resolution: null, resolvedInRelease: null, resolvedAfterRelease: null };
  const resolution = change.resolution ?? (change.resolvedInRelease || lastRelease ? 'inRelease' : 'now');
  if (resolution === 'now') return { resolution, resolvedInRelease: null, resolvedAfterRelease: null };
  if (resolution === 'inNextRelease') return { resolution, resolvedInRelease: null, resolvedAfterRelease: lastRelease };
  return { resolution, resolvedInRelease: change.resolvedInRelease ?? lastRelease, resolvedAfterRelease: null };
}
