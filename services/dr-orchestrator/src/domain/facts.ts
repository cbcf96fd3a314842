// What a backup promises about its source, captured in the dump's own snapshot, and the
// checks that compare a restored scratch database against it.
export interface TableFact {
  schema: string;
  name: string;
  rows: number;
  /** Order-independent sum of per-row 64-bit hashes, as decimal text. */
  checksum: string;
  /** How each row was hashed: `record` (hash_record_extended) or `text` (the row's text); absent means `text`, as recorded before. */
  method?: 'record' | 'text';
  bytes: number;
}

export interface SnapshotFacts {
  snapshotAt: string;
  serverVersion: string;
  /** Canonical catalog lines (columns, constraints, indexes, views, functions, triggers, sequences, extensions). */
  schemaLines: string[];
  schemaSha256: string;
  tables: TableFact[];
}

/** 'skipped': the check had nothing to check (no tables, no indexes, no snapshot at the target); never counted as passed. */
export type Outcome = 'passed' | 'failed' | 'skipped';
export interface Check {
  name: string;
  outcome: Outcome;
  detail: string;
}

const MAX_SHOWN = 5;

const tableKey = (t: Pick<TableFact, 'schema' | 'name'>) => `${t.schema}.${t.name}`;

export function schemaDiffCheck(expected: string[], actual: string[]): Check {
  const want = new Set(expected);
  const got = new Set(actual);
  const missing = expected.filter((l) => !got.has(l));
  const extra = actual.filter((l) => !want.has(l));
  if (!expected.length && !actual.length) return { name: 'schema_diff', outcome: 'skipped', detail: 'no catalog entries in the source or the restore to compare' };
  if (!missing.length && !extra.length) return { name: 'schema_diff', outcome: 'passed', detail: `${expected.length} catalog entries identical` };
  const show = (ls: string[]) => ls.slice(0, MAX_SHOWN).join(' | ') + (ls.length > MAX_SHOWN ? ` (+${ls.length - MAX_SHOWN} more)` : '');
  return {
    name: 'schema_diff',
    outcome: 'failed',
    detail: [missing.length ? `missing in restore: ${show(missing)}` : '', extra.length ? `extra in restore: ${show(extra)}` : ''].filter(Boolean).join('; '),
  };
}

/** Row counts and per-table checksums; two checks so an operator sees which one broke. */
export function tableChecks(expected: TableFact[], actual: TableFact[]): Check[] {
  const got = new Map(actual.map((t) => [tableKey(t), t]));
  const countDiffs: string[] = [];
  const sumDiffs: string[] = [];
  for (const t of expected) {
    const r = got.get(tableKey(t));
    if (!r) {
      countDiffs.push(`${tableKey(t)} missing`);
      continue;
    }
    if (r.rows !== t.rows) countDiffs.push(`${tableKey(t)} ${t.rows} -> ${r.rows}`);
    else if (r.checksum !== t.checksum) sumDiffs.push(tableKey(t));
  }
  const rows = expected.reduce((n, t) => n + t.rows, 0);
  if (!expected.length)
    return [
      { name: 'row_counts', outcome: 'skipped', detail: 'no tables to count' },
      { name: 'table_checksums', outcome: 'skipped', detail: 'no tables to checksum' },
    ];
  return [
    countDiffs.length
      ? { name: 'row_counts', outcome: 'failed', detail: `differ: ${countDiffs.slice(0, MAX_SHOWN).join(', ')}${countDiffs.length > MAX_SHOWN ? ` (+${countDiffs.length - MAX_SHOWN})` : ''}` }
      : { name: 'row_counts', outcome: 'passed', detail: `${expected.length} tables, ${rows} rows equal` },
    sumDiffs.length
      ? { name: 'table_checksums', outcome: 'failed', detail: `content differs in ${sumDiffs.slice(0, MAX_SHOWN).join(', ')}${sumDiffs.length > MAX_SHOWN ? ` (+${sumDiffs.length - MAX_SHOWN})` : ''}` }
      : { name: 'table_checksums', outcome: 'passed', detail: `${expected.length - countDiffs.length} table checksums equal` },
  ];
}

export const overall = (checks: Check[]): 'passed' | 'failed' =>
  checks.some((c) => c.outcome === 'passed') && checks.every((c) => c.outcome !== 'failed') ? 'passed' : 'failed';

/** Blocks per range when a large table is checked in parts (16,384 × 8 KiB = 128 MiB). */
export const CHECK_RANGE_BLOCKS = 16_384;

/**
 * Splits a table of `blocks` heap blocks into ranges for `sessions` sessions: one whole-table range
 * when it is small or there is one session, else ranges of about CHECK_RANGE_BLOCKS. The last range
 * is open-ended, so rows past the size read at planning time are still counted.
 */
export function blockRanges(blocks: number, sessions: number, rangeBlocks = CHECK_RANGE_BLOCKS): { from: number; to?: number }[] {
  if (sessions <= 1 || blocks <= rangeBlocks) return [{ from: 0 }];
  const n = Math.ceil(blocks / rangeBlocks);
  const size = Math.ceil(blocks / n);
  return Array.from({ length: n }, (_, i) => (i === n - 1 ? { from: i * size } : { from: i * size, to: (i + 1) * size }));
}
