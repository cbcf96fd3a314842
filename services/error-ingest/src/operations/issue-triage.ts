// Status changes of one or many issues in one transaction, each recorded in the issue's activity.
import type { Pool } from 'pg';
import { withTransaction } from '@vigil/service-kit';
import { addActivity } from '../db/issue-activity.js';
import { lockIssuesById, setIssueStatuses, type IssueRow } from '../db/issues.js';
import { getProject } from '../db/projects.js';
import { statusFields, type IssueStatus, type Resolution } from '../domain/issue-state.js';
import { issueNotFound, projectNotFound } from '../errors.js';

export interface StatusRequest {
  status: IssueStatus;
  resolution?: Resolution;
  resolvedInRelease?: string;
}

/** Changes the status of the given issues of a project; ids not in the project are left out of the answer. */
export async function changeStatuses(pool: Pool, tenantId: string, projectId: string, issueIds: string[], change: StatusRequest): Promise<IssueRow[]> {
  if (!(await getProject(pool, tenantId, projectId))) throw projectNotFound(projectId);
  return withTransaction(pool, async (tx) => {
    const issues = await lockIssuesById(tx, tenantId, projectId, [...new Set(issueIds)]);
    const changes = issues.map((i) => ({ id: i.id, status: change.status, ...statusFields(change.status, change, i.lastRelease) }));
    const updated = await setIssueStatuses(tx, changes);
    await addActivity(
      tx,
      changes
        .filter((c, n) => issues[n]!.status !== c.status || c.status === 'resolved')
        .map((c) => ({ issueId: c.id, kind: c.status, release: c.resolvedInRelease ?? c.resolvedAfterRelease, detail: c.resolution ? { resolution: c.resolution } : {} })),
    );
    return updated;
  });
}

export async function changeIssueStatus(pool: Pool, tenantId: string, projectId: string, issueId: string, change: StatusRequest): Promise<IssueRow> {
  const [issue] = await changeStatuses(pool, tenantId, projectId, [issueId], change).catch((err) => {
    throw (err as { code?: string }).code === 'ERRORS_PROJECT_NOT_FOUND' ? issueNotFound(projectId, issueId) : err;
  });
  if (!issue) throw issueNotFound(projectId, issueId);
  return issue;
}
