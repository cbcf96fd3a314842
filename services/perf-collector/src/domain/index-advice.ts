// Index advice over plain data: unused, duplicate and invalid indexes from catalog statistics,
// and missing-index candidates from sequential scans with filters in generic plans. Pure.

export interface IndexFacts {
  schema: string;
  table: string;
  name: string;
  idxScan: number;
  bytes: number;
  isUnique: boolean;
  isPrimary: boolean;
  isValid: boolean;
  columns: number[];
  opclasses: string;
  partial: boolean;
  expression: boolean;
  backsConstraint: boolean;
  definition: string;
}

export interface Recommendation {
  kind: 'unused_index' | 'duplicate_index' | 'invalid_index' | 'missing_index';
  table: string;
  index?: string;
  statement: string;
  detail: string;
  savingPct?: number;
  queries: { queryId: string; query: string; costBefore?: number; costAfter?: number }[];
  /** What a new index costs on every write: its estimated size, and the table's writes it would join. */
  writeOverhead?: WriteOverhead;
}

export interface WriteOverhead {
  indexBytes: number;
  /** Rows written (inserted, updated, deleted) in the table since statistics were reset. */
  tableWrites: number;
  tableRows: number;
}

const qi = (ident: string) => (/^[a-z_][a-z0-9_$]*$/.test(ident) ? ident : `"${ident.replace(/"/g, '""')}"`);
const qualified = (schema: string, name: string) => `${qi(schema)}.${qi(name)}`;

function isPrefix(short: IndexFacts, long: IndexFacts): boolean {
  if (short.columns.length > long.columns.length) return false;
  const ops = (i: IndexFacts) => i.opclasses.split(' ');
  return short.columns.every((c, n) => c === long.columns[n] && ops(short)[n] === ops(long)[n]);
}

/** Unused (never scanned, backs no constraint), duplicate (a left prefix of another) and invalid indexes. */
export function flagIndexes(indexes: IndexFacts[]): Recommendation[] {
  const out: Recommendation[] = [];
  const flagged = new Set<string>();
  const drop = (i: IndexFacts) => `DROP INDEX CONCURRENTLY ${qualified(i.schema, i.name)};`;
  for (const i of indexes) {
    if (i.isValid) continue;
    flagged.add(`${i.schema}.${i.name}`);
    out.push({ kind: 'invalid_index', table: `${i.schema}.${i.table}`, index: i.name, statement: drop(i), detail: `${i.name} is invalid (a failed CREATE INDEX CONCURRENTLY); it costs writes and serves no reads`, queries: [] });
  }
  const plain = indexes.filter((i) => i.isValid && !i.partial && !i.expression);
  for (const a of plain) {
    if (a.isUnique || a.isPrimary || flagged.has(`${a.schema}.${a.name}`)) continue;
    const cover = plain.find((b) => b !== a && b.schema === a.schema && b.table === a.table && isPrefix(a, b) && (b.columns.length > a.columns.length || b.name < a.name || b.isUnique));
    if (!cover) continue;
    flagged.add(`${a.schema}.${a.name}`);
    out.push({
      kind: 'duplicate_index',
      table: `${a.schema}.${a.table}`,
      index: a.name,
      statement: drop(a),
      detail: `${a.name} is covered by ${cover.name} (${cover.definition.replace(/^.* USING /, 'USING ')})`,
      queries: [],
    });
  }
  for (const i of indexes) {
    if (!i.isValid || i.idxScan > 0 || i.isUnique || i.isPrimary || i.backsConstraint || flagged.has(`${i.schema}.${i.name}`)) continue;
    out.push({ kind: 'unused_index', table: `${i.schema}.${i.table}`, index: i.name, statement: drop(i), detail: `${i.name} has not been scanned since statistics were reset (${i.bytes} bytes)`, queries: [] });
  }
  return out;
}

export interface SeqScanFilter {
  schema: string;
  table: string;
  /** Columns compared in the filter, equality comparisons first. */
  columns: string[];
}

type PlanNode = Record<string, unknown> & { Plans?: PlanNode[] };

/** Sequential scans with a filter on tables of at least `minRows` live rows. */
export function seqScanFilters(plan: Record<string, unknown>, tableColumns: Map<string, string[]>, largeTables: Set<string>): SeqScanFilter[] {
  const out: SeqScanFilter[] = [];
  const walk = (node: PlanNode) => {
    if (node['Node Type'] === 'Seq Scan' && typeof node.Filter === 'string') {
      const schema = String(node.Schema ?? 'public');
      const table = String(node['Relation Name']);
      const key = `${schema}.${table}`;
      const known = tableColumns.get(key) ?? [];
      if (largeTables.has(key) && known.length) {
        const eq: string[] = [];
        const other: string[] = [];
        for (const m of String(node.Filter).matchAll(/"?([A-Za-z_][A-Za-z0-9_$]*)"?\)?(?:::[a-z ]+)?\s*(=|<>|!=|<=|>=|<|>|~~|IS)/g)) {
          const col = m[1]!;
          if (!known.includes(col) || eq.includes(col) || other.includes(col)) continue;
          (m[2] === '=' ? eq : other).push(col);
        }
        const columns = [...eq, ...other];
        if (columns.length) out.push({ schema, table, columns });
      }
    }
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(plan.Plan as PlanNode);
  return out;
}

/** Hypothetical indexes to try for a filter: every single column and every ordered pair. */
export function candidateIndexes(f: SeqScanFilter): string[] {
  const on = (cols: string[]) => `CREATE INDEX ON ${qualified(f.schema, f.table)} (${cols.map(qi).join(', ')})`;
  const out = f.columns.map((c) => on([c]));
  for (let a = 0; a < f.columns.length; a++) {
    for (let b = 0; b < f.columns.length; b++) if (a !== b) out.push(on([f.columns[a]!, f.columns[b]!]));
  }
  return out.slice(0, 12);
}

export const MIN_SAVING = 0.5;

export interface Evaluated {
  queryId: string;
  query: string;
  definition: string;
  costBefore: number;
  costAfter: number;
  indexBytes?: number;
}

/**
 * Keeps the candidates that save at least half of a query's cost, prefers the fewest columns
 * among equal savings, and merges queries helped by the same index into one suggestion.
 */
export function missingIndexAdvice(evaluated: Evaluated[]): Recommendation[] {
  const bestPerQuery = new Map<string, Evaluated & { saving: number }>();
  for (const e of evaluated) {
    if (!(e.costBefore > 0)) continue;
    const saving = 1 - e.costAfter / e.costBefore;
    if (saving < MIN_SAVING) continue;
    const best = bestPerQuery.get(e.queryId);
    const width = (d: string) => d.split(',').length;
    if (!best || saving > best.saving + 0.01 || (Math.abs(saving - best.saving) <= 0.01 && width(e.definition) < width(best.definition))) {
      bestPerQuery.set(e.queryId, { ...e, saving });
    }
  }
  const byIndex = new Map<string, Recommendation>();
  for (const e of bestPerQuery.values()) {
    const rec = byIndex.get(e.definition) ?? {
      kind: 'missing_index' as const,
      table: e.definition.replace(/^CREATE INDEX ON (\S+) .*$/, '$1'),
      statement: `${e.definition.replace(/^CREATE INDEX ON/, 'CREATE INDEX CONCURRENTLY ON')};`,
      detail: '',
      savingPct: 0,
      queries: [],
      ...(e.indexBytes !== undefined ? { writeOverhead: { indexBytes: e.indexBytes, tableWrites: 0, tableRows: 0 } } : {}),
    };
    rec.queries.push({ queryId: e.queryId, query: e.query, costBefore: e.costBefore, costAfter: e.costAfter });
    rec.savingPct = Math.max(rec.savingPct ?? 0, Math.round(e.saving * 1000) / 10);
    rec.detail = `estimated plan cost saving up to ${rec.savingPct} % for ${rec.queries.length} quer${rec.queries.length === 1 ? 'y' : 'ies'}`;
    byIndex.set(e.definition, rec);
  }
  return [...byIndex.values()];
}

/** Adds the table's write traffic to each new-index suggestion: every one of those writes would also update it. */
export function withTableWrites(recs: Recommendation[], tables: { schema: string; name: string; writes: number; live: number }[]): Recommendation[] {
  return recs.map((r) => {
    if (r.kind !== 'missing_index' || !r.writeOverhead) return r;
    const t = tables.find((x) => `${qi(x.schema)}.${qi(x.name)}` === r.table || `${x.schema}.${x.name}` === r.table);
    return t ? { ...r, writeOverhead: { ...r.writeOverhead, tableWrites: t.writes, tableRows: t.live } } : r;
  });
}
