// Issues of a project: list and search, detail with latest event, top tags and trends, the
// event pages, status changes, and the project's own trend. Every call is tenant-scoped.
import type { Pool } from 'pg';
import { cursorInvalid, decodeCursor, type PageRequest } from '@vigil/service-kit';
import { series } from '../db/counts.js';
import { listIssueEvents } from '../db/events.js';
import { getIssue, listIssues, topIssueTags, type IssueFilter, type IssueRow } from '../db/issues.js';
import { getProject } from '../db/projects.js';
import { fillSeries, trendWindows, type SeriesPoint } from '../domain/series.js';
import { issueNotFound, projectNotFound } from '../errors.js';

async function requireProject(pool: Pool, tenantId: string, projectId: string): Promise<void> {
  if (!(await getProject(pool, tenantId, projectId))) throw projectNotFound(projectId);
}

async function requireIssue(pool: Pool, tenantId: string, projectId: string, issueId: string): Promise<IssueRow> {
  const issue = await getIssue(pool, tenantId, projectId, issueId);
  if (!issue) throw issueNotFound(projectId, issueId);
  return issue;
}

/** Minute and hour trend of an issue or a project, ending now, empty buckets filled. */
async function trend(pool: Pool, table: 'issue' | 'project', id: string): Promise<{ minutes: SeriesPoint[]; hours: SeriesPoint[] }> {
  const { minutes, hours } = trendWindows(new Date());
  const [m, h] = await Promise.all([series(pool, table, id, minutes.granularity, minutes.since), series(pool, table, id, hours.granularity, hours.since)]);
  return { minutes: fillSeries(m, minutes.from, minutes.to, minutes.stepMs), hours: fillSeries(h, hours.from, hours.to, hours.stepMs) };
}

export type IssueQuery = Omit<IssueFilter, 'tag' | 'after'> & PageRequest & { tag?: string };

export async function searchIssues(pool: Pool, tenantId: string, projectId: string, query: IssueQuery) {
  await requireProject(pool, tenantId, projectId);
  const { tag, cursor, ...rest } = query;
  const after = decodeCursor(cursor, 3);
  if (after && after[0] !== query.sort) throw cursorInvalid(`the cursor is from a list sorted by ${String(after[0])}, not ${query.sort}`);
  const at = tag?.indexOf(':') ?? -1;
  return listIssues(pool, tenantId, projectId, { ...rest, after, ...(tag ? { tag: { key: tag.slice(0, at), value: tag.slice(at + 1) } } : {}) });
}

export async function issueDetail(pool: Pool, tenantId: string, projectId: string, issueId: string) {
  const issue = await requireIssue(pool, tenantId, projectId, issueId);
  const [latest, tags, issueTrend] = await Promise.all([listIssueEvents(pool, tenantId, issue.id, 1, undefined, true), topIssueTags(pool, issue.id), trend(pool, 'issue', issue.id)]);
  return { issue, latestEvent: latest.items[0] ?? null, tags, trend: issueTrend };
}

export async function issueEvents(pool: Pool, tenantId: string, projectId: string, issueId: string, page: { limit: number; cursor?: string; full: boolean }) {
  const issue = await requireIssue(pool, tenantId, projectId, issueId);
  return listIssueEvents(pool, tenantId, issue.id, page.limit, decodeCursor(page.cursor, 2), page.full);
}

export async function projectStats(pool: Pool, tenantId: string, projectId: string) {
  await requireProject(pool, tenantId, projectId);
  return trend(pool, 'project', projectId);
}
