import { describe, expect, it } from 'vitest';
import { candidateIndexes, flagIndexes, missingIndexAdvice, seqScanFilters, type IndexFacts } from './index-advice.js';

const idx = (name: string, columns: number[], o: Partial<IndexFacts> = {}): IndexFacts => ({
  schema: 'public',
  table: 't',
  name,
  idxScan: 5,
  bytes: 8192,
  isUnique: false,
  isPrimary: false,
  isValid: true,
  columns,
  opclasses: columns.map(() => '3126').join(' '),
  partial: false,
  expression: false,
  backsConstraint: false,
  definition: `CREATE INDEX ${name} ON public.t USING btree (...)`,
  ...o,
});

describe('flagIndexes', () => {
  it('flags unused, left-prefix duplicate and invalid indexes, never primary or constraint indexes', () => {
    const recs = flagIndexes([
      idx('t_pkey', [1], { isPrimary: true, isUnique: true, idxScan: 0, backsConstraint: true }),
      idx('t_a', [2]),
      idx('t_a_b', [2, 3]),
      idx('t_unused', [4], { idxScan: 0 }),
      idx('t_broken', [5], { isValid: false, idxScan: 0 }),
      idx('t_c_partial', [6], { partial: true, idxScan: 3 }),
      idx('t_c', [6]),
    ]);
    expect(recs.map((r) => [r.kind, r.index])).toEqual([
      ['invalid_index', 't_broken'],
      ['duplicate_index', 't_a'],
      ['unused_index', 't_unused'],
    ]);
    expect(recs[1]!.statement).toBe('DROP INDEX CONCURRENTLY public.t_a;');
  });

  it('flags one of two identical indexes, and not a unique one', () => {
    expect(flagIndexes([idx('x2', [1]), idx('x1', [1])]).map((r) => r.index)).toEqual(['x2']);
    expect(flagIndexes([idx('u', [1], { isUnique: true }), idx('v', [1, 2])])).toEqual([]);
  });
});

describe('missing-index candidates', () => {
  const plan = {
    Plan: {
      'Node Type': 'Hash Join',
      Plans: [
        { 'Node Type': 'Seq Scan', 'Relation Name': 'orders', Schema: 'public', Filter: "((status = $2) AND (customer_id = $1) AND (total > $3))" },
        { 'Node Type': 'Seq Scan', 'Relation Name': 'small', Schema: 'public', Filter: '(x = 1)' },
      ],
    },
  };
  const columns = new Map([['public.orders', ['id', 'customer_id', 'status', 'total']], ['public.small', ['x']]]);

  it('reads filter columns of sequential scans on large tables, equality first', () => {
    const filters = seqScanFilters(plan, columns, new Set(['public.orders']));
    expect(filters).toEqual([{ schema: 'public', table: 'orders', columns: ['status', 'customer_id', 'total'] }]);
    const c = candidateIndexes(filters[0]!);
    expect(c.slice(0, 3)).toEqual(['CREATE INDEX ON public.orders (status)', 'CREATE INDEX ON public.orders (customer_id)', 'CREATE INDEX ON public.orders (total)']);
    expect(c).toContain('CREATE INDEX ON public.orders (customer_id, status)');
  });

  it('keeps only savings of at least 50 %, prefers narrower indexes, and merges queries per index', () => {
    const recs = missingIndexAdvice([
      { queryId: '1', query: 'q1', definition: 'CREATE INDEX ON public.orders (status)', costBefore: 100, costAfter: 60 },
      { queryId: '1', query: 'q1', definition: 'CREATE INDEX ON public.orders (customer_id)', costBefore: 100, costAfter: 10 },
      { queryId: '1', query: 'q1', definition: 'CREATE INDEX ON public.orders (customer_id, status)', costBefore: 100, costAfter: 9.5 },
      { queryId: '2', query: 'q2', definition: 'CREATE INDEX ON public.orders (customer_id)', costBefore: 200, costAfter: 40 },
      { queryId: '3', query: 'q3', definition: 'CREATE INDEX ON public.orders (total)', costBefore: 100, costAfter: 51 },
    ]);
    expect(recs).toHaveLength(1);
    expect(recs[0]).toMatchObject({ kind: 'missing_index', table: 'public.orders', statement: 'CREATE INDEX CONCURRENTLY ON public.orders (customer_id);', savingPct: 90 });
    expect(recs[0]!.queries.map((q) => q.queryId)).toEqual(['1', '2']);
  });
});
