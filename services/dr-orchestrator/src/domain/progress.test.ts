import { describe, expect, it } from 'vitest';
import { countListEntries, crossesStep, DumpProgress, RestoreProgress } from './progress.js';

describe('DumpProgress', () => {
  const tables = [
    { schema: 'public', name: 'big', bytes: 900 },
    { schema: 'public', name: 'small', bytes: 100 },
  ];

  it('weights finished tables by size in parallel mode', () => {
    const p = new DumpProgress(tables, true);
    expect(p.line('pg_dump: dumping contents of table "public.big"')).toBeUndefined();
    expect(p.line('pg_dump: dumping contents of table "public.small"')).toBeUndefined();
    expect(p.line('pg_dump: finished item 3350 TABLE DATA small')).toBe(10);
    expect(p.line('pg_dump: finished item 3348 TABLE DATA big')).toBe(99);
  });

  it('treats the start of the next table as the end of the previous one in serial mode', () => {
    const p = new DumpProgress(tables, false);
    p.line('pg_dump: dumping contents of table "public.big"');
    expect(p.line('pg_dump: dumping contents of table "public.small"')).toBe(90);
  });

  it('ignores unrelated lines', () => {
    expect(new DumpProgress(tables, true).line('pg_dump: reading schemas')).toBeUndefined();
  });
});

describe('RestoreProgress', () => {
  it('counts distinct TOC items against the pg_restore -l entries', () => {
    const listing = ';\n; Archive created at\n;\n214; 1259 16386 TABLE public a postgres\n3348; 0 16386 TABLE DATA public a postgres\n3203; 2606 16390 CONSTRAINT public a a_pkey postgres\n215; 1 1 SEQUENCE x\n';
    const p = new RestoreProgress(countListEntries(listing));
    expect(countListEntries(listing)).toBe(4);
    expect(p.line('pg_restore: processing item 214 TABLE a')).toBe(25);
    expect(p.line('pg_restore: launching item 3348 TABLE DATA a')).toBeUndefined();
    expect(p.line('pg_restore: finished item 3348 TABLE DATA a')).toBe(50);
    expect(p.line('pg_restore: finished item 3348 TABLE DATA a')).toBeUndefined();
  });
});

describe('crossesStep', () => {
  it('fires on each step boundary and at 100', () => {
    expect(crossesStep(8, 12, 10)).toBe(true);
    expect(crossesStep(12, 18, 10)).toBe(false);
    expect(crossesStep(99, 100, 25)).toBe(true);
  });
});
