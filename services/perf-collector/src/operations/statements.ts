// The statement workbench of one database: ranked statements with sparklines, one statement's
// history, and its generic plan made now on the monitored database (EXPLAIN without ANALYZE).
import type { Pool } from 'pg';
import { explainGeneric, serverVersionNum } from '../clients/target-plans.js';
import { rankedStatements, statementHistory, statementSeries, statementText } from '../db/statements.js';
import { cursorInvalid, planFailed, statementNotFound } from '../errors.js';
import { requireTarget } from './targets.js';
import { withTargetSession, type SessionDeps } from './target-session.js';

const encode = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
function decode<T>(cursor: string | undefined, valid: (v: unknown) => v is T): T | undefined {
  if (!cursor) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw cursorInvalid();
  }
  if (!valid(v)) throw cursorInvalid();
  return v;
}
const isRankKey = (v: unknown): v is { v: number; id: string } => typeof v === 'object' && v !== null && typeof (v as { v: unknown }).v === 'number' && typeof (v as { id: unknown }).id === 'string';
const isTime = (v: unknown): v is string => typeof v === 'string' && !Number.isNaN(Date.parse(v));

export async function listStatements(pool: Pool, tenantId: string, targetId: string, o: { order: 'total' | 'mean'; hours: number; limit: number; cursor?: string }) {
  const t = await requireTarget(pool, tenantId, targetId);
  const scope = { tenantId, targetId: t.id };
  const after = decode(o.cursor, isRankKey);
  const rows = await rankedStatements(pool, scope, { order: o.order, hours: o.hours, limit: o.limit + 1, after });
  const page = rows.slice(0, o.limit);
  const series = await statementSeries(pool, scope, page.map((r) => r.queryId), o.hours);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({ ...r, series: series.get(r.queryId) ?? [] })),
    nextCursor: rows.length > o.limit && last ? encode({ v: o.order === 'mean' ? last.meanMs : last.totalMs, id: last.queryId }) : null,
  };
}

export async function getStatementHistory(pool: Pool, tenantId: string, targetId: string, queryId: string, o: { hours: number; limit: number; cursor?: string }) {
  const t = await requireTarget(pool, tenantId, targetId);
  const scope = { tenantId, targetId: t.id };
  const query = await statementText(pool, scope, queryId);
  if (query === undefined) throw statementNotFound(queryId);
  const rows = await statementHistory(pool, scope, queryId, { hours: o.hours, limit: o.limit + 1, after: decode(o.cursor, isTime) });
  const page = rows.slice(0, o.limit);
  return { queryId, query, items: page, nextCursor: rows.length > o.limit ? encode(page.at(-1)!.at) : null };
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
