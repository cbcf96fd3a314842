// The alerts of a period, page by page, for reports: their start, acknowledgement and resolution times.
import { alertsOpenDuring } from '../db/alert-period.js';
import type { AlertRow } from '../db/alerts.js';
import { periodInvalid } from '../errors.js';
import type { AlertingDeps } from './deps.js';

export interface PeriodQuery {
  from: string;
  to: string;
  cursor?: string;
  limit: number;
}

const encode = (a: AlertRow) => Buffer.from(`${a.startsAt}|${a.id}`).toString('base64url');

function decode(cursor: string): { startsAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const startsAt = new Date(at ?? '');
  if (!id || !/^[0-9a-f-]{36}$/.test(id) || Number.isNaN(startsAt.getTime())) throw periodInvalid('cursor is not one this API returned');
  return { startsAt, id };
}

export async function alertsOfPeriod(deps: AlertingDeps, tenantId: string, q: PeriodQuery): Promise<{ items: AlertRow[]; nextCursor: string | null }> {
  const from = new Date(q.from);
  const to = new Date(q.to);
  if (!(from < to)) throw periodInvalid(`from (${q.from}) must be before to (${q.to})`);
  if (to.getTime() - from.getTime() > 366 * 86_400_000) throw periodInvalid('the period from..to may span at most 366 days');
  const items = await alertsOpenDuring(deps.pool, tenantId, { from, to, after: q.cursor ? decode(q.cursor) : undefined, limit: q.limit });
  return { items, nextCursor: items.length === q.limit ? encode(items[items.length - 1]!) : null };
}
