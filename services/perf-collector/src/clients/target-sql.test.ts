import { describe, expect, it } from 'vitest';
import { checkpointsSql, statementsSql } from './target-sql.js';
import { unexplainable } from './target-plans.js';

describe('version-aware target SQL', () => {
  it('uses toplevel from 14 and the renamed I/O timing column from 17', () => {
    expect(statementsSql(130000)).toContain("':' || true::text");
    expect(statementsSql(130000)).toContain('blk_read_time AS read_ms');
    expect(statementsSql(150000)).toContain('toplevel::text');
    expect(statementsSql(170000)).toContain('shared_blk_read_time AS read_ms');
  });

  it('reads checkpoints from pg_stat_checkpointer on 17 and pg_stat_bgwriter before', () => {
    expect(checkpointsSql(160004)).toContain('FROM pg_stat_bgwriter');
    expect(checkpointsSql(170000)).toContain('FROM pg_stat_checkpointer');
  });

  it('explains only single DML/SELECT statements', () => {
    expect(unexplainable('SELECT * FROM t WHERE a = $1')).toBeUndefined();
    expect(unexplainable("SELECT ';' FROM t")).toBeUndefined();
    expect(unexplainable('VACUUM t')).toMatch(/only SELECT/);
    expect(unexplainable('SELECT 1; DROP TABLE t')).toBe('statement text holds more than one statement');
  });
});
