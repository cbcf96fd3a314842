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

export interface ResolvedIssue {
  status: IssueStatus;
  resolvedInRelease: string | null;
  releases: string[];
}

/** A resolved issue seen again in a newer release (or, resolved without a release, seen at all) regresses. */
export function isRegression(issue: ResolvedIssue, release: string | undefined): boolean {
  if (issue.status !== 'resolved') return false;
  if (!issue.resolvedInRelease) return true;
  if (!release || release === issue.resolvedInRelease) return false;
  const cmp = compareReleases(release, issue.resolvedInRelease);
  if (cmp !== undefined) return cmp > 0;
  return !issue.releases.includes(release);
}
