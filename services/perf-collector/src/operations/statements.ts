// The statement workbench of one database: ranked statements with sparklines, one statement's
// history, and its generic plan made now on the monitored database (EXPLAIN without ANALYZE).
import type { Pool } from 'pg';
import { cursorInvalid, decodeCursor, encodeCursor } from '@vigil/service-kit';
import { explainGeneric, serverVersionNum } from '../clients/target-plans.js';
import { rankedStatements, statementHistory, statementSeries, statementText } from '../db/statements.js';
import { planFailed, statementNotFound } from '../errors.js';
import { requireTarget } from './targets.js';
import { withTargetSession, type SessionDeps } from './target-session.js';

/** The kit's keyset cursors: [rank value, query id] for the ranking, [interval time] for a history. */
function rankKey(cursor: string | undefined): { v: number; id: string } | undefined {
  const key = decodeCursor(cursor, 2);
  if (!key) return undefined;
  if (typeof key[0] !== 'number' || typeof key[1] !== 'string') throw cursorInvalid();
  return { v: key[0], id: key[1] };
}
function timeKey(cursor: string | undefined): string | undefined {
  const key = decodeCursor(cursor, 1);
  if (!key) return undefined;
  if (typeof key[0] !== 'string' || Number.isNaN(Date.parse(key[0]))) throw cursorInvalid();
  return key[0];
}

export async function listStatements(pool: Pool, tenantId: string, targetId: string, o: { order: 'total' | 'mean'; hours: number; limit: number; cursor?: string }) {
  const t = await requireTarget(pool, tenantId, targetId);
  const scope = { tenantId, targetId: t.id };
  const after = rankKey(o.cursor);
  const rows = await rankedStatements(pool, scope, { order: o.order, hours: o.hours, limit: o.limit + 1, after });
  const page = rows.slice(0, o.limit);
  const series = await statementSeries(pool, scope, page.map((r) => r.queryId), o.hours);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({ ...r, series: series.get(r.queryId) ?? [] })),
    nextCursor: rows.length > o.limit && last ? encodeCursor([o.order === 'mean' ? last.meanMs : last.totalMs, last.queryId]) : null,
  };
}

/** One statement of a target: its id and normalised text. */
export async function getStatement(pool: Pool, tenantId: string, targetId: string, queryId: string) {
  const t = await requireTarget(pool, tenantId, targetId);
  const query = await statementText(pool, { tenantId, targetId: t.id }, queryId);
  if (query === undefined) throw statementNotFound(queryId);
  return { queryId, query };
}

export async function getStatementHistory(pool: Pool, tenantId: string, targetId: string, queryId: string, o: { hours: number; limit: number; cursor?: string }) {
  const t = await requireTarget(pool, tenantId, targetId);
  const scope = { tenantId, targetId: t.id };
  if ((await statementText(pool, scope, queryId)) === undefined) throw statementNotFound(queryId);
  const rows = await statementHistory(pool, scope, queryId, { hours: o.hours, limit: o.limit + 1, after: timeKey(o.cursor) });
  const page = rows.slice(0, o.limit);
  return { items: page, nextCursor: rows.length > o.limit ? encodeCursor([page.at(-1)!.at]) : null };
}

export async function planStatement(d: SessionDeps & { pool: Pool }, tenantId: string, targetId: string, queryId: string) {
  const t = await requireTarget(d.pool, tenantId, targetId);
  const query = await statementText(d.pool, { tenantId, targetId: t.id }, queryId);
  if (query === undefined) throw statementNotFound(queryId);
  return withTargetSession(d, t, async (client) => {
    const version = await serverVersionNum(client);
    const { plan, error } = await explainGeneric(client, version, query);
    if (!plan) throw planFailed(`cannot plan statement ${queryId}: ${error}`);
    return { queryId, query, generic: true, analyzed: false, serverVersion: version, plannedAt: new Date().toISOString(), plan };
  });
}
