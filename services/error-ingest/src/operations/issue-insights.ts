// What the issue stream and the issue page show beside the issue itself: 24 h sparklines of a page of
// issues, the event-count series of one issue (24 h, 14 d) with its release markers, the users it
// affected, and its activity (status changes, regressions).
import type { Pool } from 'pg';
import { getIssue } from '../db/issues.js';
import { listActivity } from '../db/issue-activity.js';
import { affectedUsers, hourlyCounts, issueSeries, ownedIssueIds, releaseFirstSeen } from '../db/issue-insights.js';
import { getProject } from '../db/projects.js';
import { decodeCursor, keysetPage } from '@vigil/service-kit';
import { issueNotFound, projectNotFound } from '../errors.js';

const HOUR = 3_600_000;
export const PERIODS = { '24h': { hours: 24, stepHours: 1 }, '14d': { hours: 14 * 24, stepHours: 6 } } as const;
export type Period = keyof typeof PERIODS;

async function requireIssue(pool: Pool, tenantId: string, projectId: string, issueId: string) {
  const issue = await getIssue(pool, tenantId, projectId, issueId);
  if (!issue) throw issueNotFound(projectId, issueId);
  return issue;
}

/** Buckets of `stepMs` ending with the one holding `now`, oldest first, empty ones zero. */
function filled(points: { bucket: number; count: number }[], count: number, stepMs: number, now: number): { bucket: string; count: number }[] {
  const last = Math.floor(now / stepMs) * stepMs;
  const byTime = new Map(points.map((p) => [p.bucket, p.count]));
  return Array.from({ length: count }, (_, k) => {
    const t = last - (count - 1 - k) * stepMs;
    return { bucket: new Date(t).toISOString(), count: byTime.get(t) ?? 0 };
  });
}

/** 24 hourly counts (oldest first, the current hour last) of each issue of the project among `issueIds`. */
export async function issueTrends(pool: Pool, tenantId: string, projectId: string, issueIds: string[]) {
  if (!(await getProject(pool, tenantId, projectId))) throw projectNotFound(projectId);
  const now = Date.now();
  const last = Math.floor(now / HOUR) * HOUR;
  const from = last - 23 * HOUR;
  // Only this tenant's issues of this project: ids are checked through the issue rows, not trusted.
  const owned = await ownedIssueIds(pool, tenantId, projectId, issueIds);
  const rows = await hourlyCounts(pool, owned, new Date(from));
  const byIssue = new Map(owned.map((id) => [id, new Array<number>(24).fill(0)]));
  for (const r of rows) {
    const slot = Math.round((r.bucket - from) / HOUR);
    const counts = byIssue.get(r.issueId);
    if (counts && slot >= 0 && slot < 24) counts[slot] = (counts[slot] ?? 0) + r.count;
  }
  return { items: [...byIssue].map(([issueId, hours]) => ({ issueId, hours })), nextCursor: null, from: new Date(from).toISOString() };
}

export async function issueSeriesOf(pool: Pool, tenantId: string, projectId: string, issueId: string, period: Period) {
  const issue = await requireIssue(pool, tenantId, projectId, issueId);
  const { hours, stepHours } = PERIODS[period];
  const stepMs = stepHours * HOUR;
  const now = Date.now();
  const points = hours / stepHours;
  const from = new Date(Math.floor(now / stepMs) * stepMs - (points - 1) * stepMs);
  const [series, releases, activity] = await Promise.all([issueSeries(pool, issue.id, from, stepHours), releaseFirstSeen(pool, issue.id), listActivity(pool, issue.id, 50)]);
  return {
    period,
    stepSeconds: stepMs / 1000,
    points: filled(series, points, stepMs, now),
    releases: releases.filter((r) => Date.parse(r.firstSeen) >= from.getTime()),
    regressions: activity.filter((a) => a.kind === 'regressed' && Date.parse(a.at) >= from.getTime()).map((a) => ({ at: a.at, release: a.release, eventId: a.eventId })),
  };
}

export async function issueUsers(pool: Pool, tenantId: string, projectId: string, issueId: string, page: { limit: number; cursor?: string }) {
  const issue = await requireIssue(pool, tenantId, projectId, issueId);
  const after = decodeCursor(page.cursor, 1);
  const rows = await affectedUsers(pool, issue.id, page.limit + 1, after ? String(after[0]) : undefined);
  return { ...keysetPage(rows, page.limit, (u) => [u.userRef]), total: issue.usersAffected };
}

export async function issueActivity(pool: Pool, tenantId: string, projectId: string, issueId: string, page: { limit: number; cursor?: string }) {
  const issue = await requireIssue(pool, tenantId, projectId, issueId);
  const before = decodeCursor(page.cursor, 2);
  const rows = await listActivity(pool, issue.id, page.limit + 1, before ? { at: String(before[0]), id: String(before[1]) } : undefined);
  return keysetPage(rows, page.limit, (a) => [a.cursorAt, a.id], ({ cursorAt: _cursor, ...a }) => a);
}
