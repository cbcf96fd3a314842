// Generic plans of normalised statements and hypopg what-if costs, run on a monitored database.
// Everything happens in a READ ONLY transaction that is rolled back: EXPLAIN without ANALYZE
// executes nothing, and the read-only guard stops anything else a statement text might hold.
import type pg from 'pg';
import { withRollback } from '@vigil/service-kit';
import { MARKER } from './target-sql.js';

export type Plan = Record<string, unknown>;

const EXPLAINABLE = /^\s*(\/\*.*?\*\/\s*)*(select|with|insert|update|delete|values|table)\b/is;

/** Why a statement cannot be explained, or undefined when it can. */
export function unexplainable(query: string): string | undefined {
  if (!EXPLAINABLE.test(query)) return 'only SELECT, INSERT, UPDATE, DELETE and WITH statements are explained';
  if (/;\s*\S/.test(query.replace(/'(?:[^']|'')*'/g, "''"))) return 'statement text holds more than one statement';
  return undefined;
}

function paramCount(query: string): number {
  let max = 0;
  for (const m of query.matchAll(/\$(\d+)/g)) max = Math.max(max, Number(m[1]));
  return max;
}

/** Generic plan: EXPLAIN (GENERIC_PLAN) from 16, PREPARE + EXPLAIN EXECUTE with NULLs before. */
async function explainIn(client: pg.Client, versionNum: number, query: string): Promise<Plan> {
  const text = query.trim().replace(/;\s*$/, '');
  if (versionNum >= 160000) {
    const { rows } = await client.query(`${MARKER} EXPLAIN (GENERIC_PLAN, FORMAT JSON) ${text}`);
    return (rows[0]['QUERY PLAN'] as Plan[])[0]!;
  }
  const n = paramCount(text);
  await client.query(`${MARKER} SET LOCAL plan_cache_mode = force_generic_plan`);
  await client.query(`${MARKER} PREPARE vigil_explain AS ${text}`);
  try {
    const args = n ? `(${Array.from({ length: n }, () => 'NULL').join(', ')})` : '';
    const { rows } = await client.query(`${MARKER} EXPLAIN (FORMAT JSON) EXECUTE vigil_explain${args}`);
    return (rows[0]['QUERY PLAN'] as Plan[])[0]!;
  } finally {
    // In an aborted transaction this fails too; readOnly() deallocates after the rollback.
    await client.query(`${MARKER} DEALLOCATE vigil_explain`).catch(() => undefined);
  }
}

async function readOnly<T>(client: pg.Client, fn: () => Promise<T>): Promise<T> {
  try {
    return await withRollback(client, fn, { readOnly: true, comment: MARKER });
  } finally {
    await client.query(`${MARKER} DEALLOCATE ALL`).catch(() => undefined);
  }
}

export async function explainGeneric(client: pg.Client, versionNum: number, query: string): Promise<{ plan?: Plan; error?: string }> {
  const refused = unexplainable(query);
  if (refused) return { error: refused };
  try {
    return { plan: await readOnly(client, () => explainIn(client, versionNum, query)) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

export const totalCost = (plan: Plan): number => Number((plan.Plan as Record<string, unknown>)['Total Cost']);

export interface WhatIf {
  definition: string;
  costBefore: number;
  costAfter: number;
  /** hypopg's estimate of the index's size. */
  indexBytes: number;
}

/** Cost of `query` without and with each hypothetical index (one at a time). */
export async function whatIfIndexes(client: pg.Client, versionNum: number, query: string, definitions: string[]): Promise<WhatIf[]> {
  if (unexplainable(query) || !definitions.length) return [];
  return readOnly(client, async () => {
    const before = totalCost(await explainIn(client, versionNum, query));
    const out: WhatIf[] = [];
    for (const definition of definitions) {
      await client.query(`${MARKER} SELECT hypopg_reset()`);
      const { rows } = await client.query(`${MARKER} SELECT hypopg_relation_size(indexrelid)::float8 AS bytes FROM hypopg_create_index($1)`, [definition]);
      out.push({ definition, costBefore: before, costAfter: totalCost(await explainIn(client, versionNum, query)), indexBytes: Number(rows[0]?.bytes ?? 0) });
    }
    await client.query(`${MARKER} SELECT hypopg_reset()`);
    return out;
  });
}

/** server_version_num of the session's server (plans differ before and from 16). */
export async function serverVersionNum(client: pg.Client): Promise<number> {
  const { rows } = await client.query(`${MARKER} SHOW server_version_num`);
  return Number(rows[0].server_version_num);
}

/** Whether an index (schema-qualified name) exists on the monitored database, and is valid. */
export async function indexState(client: pg.Client, qualifiedName: string): Promise<'absent' | 'valid' | 'invalid'> {
  const { rows } = await client.query(
    `${MARKER} SELECT i.indisvalid FROM pg_index i WHERE i.indexrelid = to_regclass($1)`,
    [qualifiedName],
  );
  if (!rows.length) return 'absent';
  return rows[0].indisvalid ? 'valid' : 'invalid';
}
