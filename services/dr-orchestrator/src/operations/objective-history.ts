// The RPO/RTO history of a policy: one point per finished restore, oldest first, one page at a time
// (the kit's keyset cursor over (finished_at, id)).
import type { Pool } from 'pg';
import { cursorInvalid, decodeCursor, keysetPage } from '@vigil/service-kit';
import { finishedRestores } from '../db/objective-history.js';
import { historyPoint } from '../domain/objective-history.js';
import { requirePolicy } from './policies.js';

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{1,6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export async function objectiveHistoryOf(pool: Pool, tenantId: string, policyId: string, page: { days: number; cursor?: string; limit: number }, now = new Date()) {
  const policy = await requirePolicy(pool, tenantId, policyId);
  const key = decodeCursor(page.cursor, 2);
  if (key && !(typeof key[0] === 'string' && INSTANT.test(key[0]) && typeof key[1] === 'string' && UUID.test(key[1]))) throw cursorInvalid();
  const after = key ? { finishedAt: key[0] as string, id: key[1] as string } : undefined;
  const since = new Date(now.getTime() - page.days * 86_400_000);
  const rows = await finishedRestores(pool, { tenantId, policyId: policy.id, since, after, limit: page.limit + 1 });
  return keysetPage(rows, page.limit, (r) => [r.finishedAtKey, r.verificationId], (r) => historyPoint(r, policy));
}
