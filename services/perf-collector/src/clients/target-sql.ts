// Version-aware SQL run on monitored databases (PostgreSQL 13-17). Every statement carries the
// /* vigil */ marker so the collector can leave its own queries out of pg_stat_statements.
export const MARKER = '/* vigil */';

/** pg_stat_statements of the current database; `toplevel` exists from 14, I/O timing columns were renamed in 17. */
export function statementsSql(versionNum: number): string {
  const toplevel = versionNum >= 140000 ? 'toplevel' : 'true';
  const readTime = versionNum >= 170000 ? 'shared_blk_read_time' : 'blk_read_time';
  return `${MARKER} SELECT userid::text || ':' || queryid::text || ':' || ${toplevel}::text AS key, queryid::text AS query_id,
      left(query, 4000) AS query, calls, total_exec_time AS total_ms, rows, shared_blks_hit AS blks_hit,
      shared_blks_read AS blks_read, ${readTime} AS read_ms
    FROM pg_stat_statements
    WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND queryid IS NOT NULL AND query NOT LIKE '${MARKER}%'`;
}

/** Checkpoints moved from pg_stat_bgwriter to pg_stat_checkpointer in 17. */
export function checkpointsSql(versionNum: number): string {
  return versionNum >= 170000
    ? `${MARKER} SELECT num_timed AS timed, num_requested AS requested FROM pg_stat_checkpointer`
    : `${MARKER} SELECT checkpoints_timed AS timed, checkpoints_req AS requested FROM pg_stat_bgwriter`;
}

export const STATEMENTS_INFO_SQL = `${MARKER} SELECT stats_reset FROM pg_stat_statements_info`;

export const EXTENSIONS_SQL = `${MARKER} SELECT extname, extversion FROM pg_extension WHERE extname IN ('pg_stat_statements', 'hypopg')`;

export const SERVER_SQL = `${MARKER} SELECT current_setting('server_version_num')::int AS version,
    current_setting('max_connections')::int AS max_connections, current_database() AS database,
    pg_database_size(current_database()) AS size_bytes,
    (SELECT age(datfrozenxid) FROM pg_database WHERE datname = current_database()) AS xid_age`;

export const DATABASE_STATS_SQL = `${MARKER} SELECT xact_commit, xact_rollback, deadlocks, temp_bytes, blks_hit, blks_read,
    tup_returned, tup_fetched, tup_inserted, tup_updated, tup_deleted, stats_reset
  FROM pg_stat_database WHERE datname = current_database()`;

export const ACTIVITY_SQL = `${MARKER} SELECT coalesce(state, 'unknown') AS state, count(*)::int AS n,
    count(*) FILTER (WHERE wait_event_type = 'Lock')::int AS waiting,
    count(*) FILTER (WHERE state = 'active' AND now() - query_start > interval '1 minute')::int AS long_running,
    count(*) FILTER (WHERE state LIKE 'idle in transaction%' AND now() - state_change > interval '1 minute')::int AS long_idle_in_tx
  FROM pg_stat_activity WHERE backend_type = 'client backend' GROUP BY 1`;

export const LOCKS_SQL = `${MARKER} SELECT count(*)::int AS total, count(*) FILTER (WHERE NOT granted)::int AS waiting FROM pg_locks`;

// Sizes stat every file of every relation, so they are read on the slow cadence only.
export const TABLES_SQL = `${MARKER} SELECT relid::text AS relid, schemaname AS schema, relname AS name, seq_scan, seq_tup_read,
    coalesce(idx_scan, 0) AS idx_scan, n_live_tup AS live, n_dead_tup AS dead,
    n_tup_ins + n_tup_upd + n_tup_del AS writes
  FROM pg_stat_user_tables`;

export const TABLE_SIZES_SQL = `${MARKER} SELECT relid::text AS relid, pg_total_relation_size(relid) AS bytes,
    coalesce(heap_blks_hit, 0) + coalesce(toast_blks_hit, 0) AS heap_hit, coalesce(heap_blks_read, 0) + coalesce(toast_blks_read, 0) AS heap_read,
    coalesce(idx_blks_hit, 0) AS idx_hit, coalesce(idx_blks_read, 0) AS idx_read
  FROM pg_statio_user_tables`;

export const INDEXES_SQL = `${MARKER} SELECT s.schemaname AS schema, s.relname AS table, s.indexrelname AS name, s.idx_scan,
    pg_relation_size(s.indexrelid) AS bytes, i.indisunique AS is_unique, i.indisprimary AS is_primary, i.indisvalid AS is_valid,
    i.indkey::text AS columns, i.indclass::text AS opclasses, i.indpred IS NOT NULL AS partial, i.indexprs IS NOT NULL AS expression,
    s.indexrelid IN (SELECT conindid FROM pg_constraint) AS backs_constraint,
    pg_get_indexdef(s.indexrelid) AS definition
  FROM pg_stat_user_indexes s JOIN pg_index i ON i.indexrelid = s.indexrelid`;

export const COLUMNS_SQL = `${MARKER} SELECT n.nspname AS schema, c.relname AS table, a.attnum AS num, a.attname AS column
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
    AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
    AND c.relname = ANY($1::text[])`;
