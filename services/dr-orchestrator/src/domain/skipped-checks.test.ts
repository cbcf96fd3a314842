// Issue 13 §4: a check with nothing to examine says "skipped" and why, and never makes a
// verification pass on its own.
import { describe, expect, it } from 'vitest';
import { overall, schemaDiffCheck, tableChecks, type Check } from './facts.js';

const table = { schema: 'public', name: 't', rows: 3, checksum: '42', bytes: 8192 };

describe('checks with nothing to examine', () => {
  it('row counts and checksums of a backup with 0 tables are skipped, with the reason', () => {
    expect(tableChecks([], [])).toEqual([
      { name: 'row_counts', outcome: 'skipped', detail: 'no tables to count' },
      { name: 'table_checksums', outcome: 'skipped', detail: 'no tables to checksum' },
    ]);
  });

  it('a schema diff of 0 catalog entries on both sides is skipped; one side empty is a failure', () => {
    expect(schemaDiffCheck([], [])).toEqual({ name: 'schema_diff', outcome: 'skipped', detail: 'no catalog entries in the source or the restore to compare' });
    expect(schemaDiffCheck(['table public.t'], [])).toMatchObject({ outcome: 'failed' });
    expect(schemaDiffCheck([], ['table public.t'])).toMatchObject({ outcome: 'failed' });
  });

  it('tables present are still compared: passed when equal, failed when not', () => {
    expect(tableChecks([table], [table]).map((c) => c.outcome)).toEqual(['passed', 'passed']);
    expect(tableChecks([table], [{ ...table, checksum: '7' }]).map((c) => c.outcome)).toEqual(['passed', 'failed']);
  });

  it('a verification whose checks were all skipped is not passed; skipped beside passed checks does not fail it', () => {
    const skipped: Check[] = [...tableChecks([], []), schemaDiffCheck([], [])];
    expect(overall(skipped)).toBe('failed');
    expect(overall([])).toBe('failed');
    expect(overall([...skipped, { name: 'manifest', outcome: 'passed', detail: '3 files match' }])).toBe('passed');
    expect(overall([...skipped, { name: 'manifest', outcome: 'failed', detail: 'x' }])).toBe('failed');
  });
});
