// The RPO/RTO history of a policy: one point per finished restore, oldest first, one page at a time.
import type { Pool } from 'pg';
import { finishedRestores } from '../db/objective-history.js';
import { decodeHistoryCursor, encodeHistoryCursor, historyPoint } from '../domain/objective-history.js';
import { cursorInvalid } from '../errors.js';
import { requirePolicy } from './policies.js';

export async function objectiveHistoryOf(pool: Pool, tenantId: string, policyId: string, page: { days: number; cursor?: string; limit: number }, now = new Date()) {
  const policy = await requirePolicy(pool, tenantId, policyId);
  const after = page.cursor === undefined ? undefined : decodeHistoryCursor(page.cursor);
  if (page.cursor !== undefined && !after) throw cursorInvalid();
  const since = new Date(now.getTime() - page.days * 86_400_000);
  const rows = await finishedRestores(pool, { tenantId, policyId: policy.id, since, after, limit: page.limit });
  const last = rows.at(-1);
  return { items: rows.map((r) => historyPoint(r, policy)), nextCursor: last && rows.length === page.limit ? encodeHistoryCursor(last) : null };
}
