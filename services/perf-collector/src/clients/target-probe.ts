// Reads one snapshot of a monitored database: server facts, pg_stat_database, activity, locks,
// tables, indexes and (when available) pg_stat_statements. All SQL on targets lives in db/target-*.
import pg from 'pg';
import type { DatabaseCounters, StatementCounters } from '../domain/cycle-metrics.js';
import type { IndexFacts } from '../domain/index-advice.js';
import {
  ACTIVITY_SQL,
  checkpointsSql,
  COLUMNS_SQL,
  DATABASE_STATS_SQL,
  EXTENSIONS_SQL,
  INDEXES_SQL,
  LOCKS_SQL,
  MARKER,
  SERVER_SQL,
  STATEMENTS_INFO_SQL,
  statementsSql,
  TABLE_SIZES_SQL,
  TABLES_SQL,
} from './target-sql.js';

export interface TableStats {
  schema: string;
  name: string;
  seqScan: number;
  seqTupRead: number;
  idxScan: number;
  live: number;
  dead: number;
  /** Rows inserted, updated or deleted since statistics were reset: each also writes every index. */
  writes: number;
  /** Total size with indexes and TOAST; null when sizes were not read this cycle. */
  bytes: number | null;
}

/** The catalog facts the index advisor works from. */
export type IndexStats = IndexFacts;

export interface TargetSnapshot {
  versionNum: number;
  database: string;
  latencyMs: number;
  maxConnections: number;
  sizeBytes: number;
  xidAge: number;
  counters: DatabaseCounters;
  activity: { byState: Record<string, number>; total: number; waiting: number; longRunning: number; longIdleInTransaction: number };
  locks: { total: number; waiting: number };
  checkpoints: { timed: number; requested: number };
  tables: TableStats[];
  /** Block hits and reads of all user tables and their indexes (pg_statio_user_tables), read with the sizes. */
  tableIo: { heapHit: number; heapRead: number; idxHit: number; idxRead: number } | null;
  indexes: IndexStats[];
  extensions: { pgStatStatements: boolean; hypopg: boolean };
  statements: { available: true; resetAt: string | null; rows: StatementCounters[] } | { available: false; reason: string };
}

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

/** Opens a monitoring session; the statement timeout bounds every query the collector sends. */
export async function connectTarget(connectionString: string, timeoutMs: number): Promise<{ client: pg.Client; connectMs: number }> {
  const client = new pg.Client({
    connectionString,
    // Longer than the cycle budget, so a silent server always ends as "timeout", never half-way.
    connectionTimeoutMillis: timeoutMs + 1_000,
    statement_timeout: timeoutMs,
    application_name: 'vigil-perf-collector',
  });
  client.on('error', () => undefined); // a dropped target surfaces through the pending query
  const started = performance.now();
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
  }
  return { client, connectMs: performance.now() - started };
}

/** Ends the session without waiting on a hung server. */
export function abandonTarget(client: pg.Client): void {
  const stream = (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream;
  stream?.destroy();
  void client.end().catch(() => undefined);
}

/**
 * What a cycle reads beyond the cheap statistics: index catalog facts (for the advisor) and
 * relation sizes (for capacity), both costly on databases with many relations.
 */
export interface ProbeScope {
  indexes: boolean;
  sizes: boolean;
}

export async function probeTarget(client: pg.Client, scope: ProbeScope): Promise<TargetSnapshot> {
  const rttStart = performance.now();
  await client.query(`${MARKER} SELECT 1`);
  const latencyMs = performance.now() - rttStart;

  const server = (await client.query(SERVER_SQL)).rows[0];
  const versionNum = Number(server.version);
  const ext = new Map((await client.query(EXTENSIONS_SQL)).rows.map((r) => [r.extname as string, r.extversion as string]));
  // One session runs one query at a time; awaiting each in turn keeps that explicit.
  const db = await client.query(DATABASE_STATS_SQL);
  const activity = await client.query(ACTIVITY_SQL);
  const locks = await client.query(LOCKS_SQL);
  const checkpoints = await client.query(checkpointsSql(versionNum));
  const tables = await client.query(TABLES_SQL);
  const indexes = scope.indexes ? (await client.query(INDEXES_SQL)).rows : [];
  const sizes = scope.sizes ? new Map((await client.query(TABLE_SIZES_SQL)).rows.map((r) => [r.relid as string, r])) : undefined;
  const io = sizes
    ? [...sizes.values()].reduce((a, r) => ({ heapHit: a.heapHit + num(r.heap_hit), heapRead: a.heapRead + num(r.heap_read), idxHit: a.idxHit + num(r.idx_hit), idxRead: a.idxRead + num(r.idx_read) }), { heapHit: 0, heapRead: 0, idxHit: 0, idxRead: 0 })
    : undefined;
  const d = db.rows[0] ?? {};
  const byState: Record<string, number> = {};
  let waiting = 0;
  let longRunning = 0;
  let longIdleInTransaction = 0;
  for (const r of activity.rows) {
    byState[r.state] = r.n;
    waiting += r.waiting;
    longRunning += r.long_running;
    longIdleInTransaction += r.long_idle_in_tx;
  }
  return {
    versionNum,
    database: server.database,
    latencyMs,
    maxConnections: server.max_connections,
    sizeBytes: num(server.size_bytes),
    xidAge: num(server.xid_age),
    counters: {
      xactCommit: num(d.xact_commit),
      xactRollback: num(d.xact_rollback),
      deadlocks: num(d.deadlocks),
      tempBytes: num(d.temp_bytes),
      blksHit: num(d.blks_hit),
      blksRead: num(d.blks_read),
      statsReset: d.stats_reset ? new Date(d.stats_reset).toISOString() : null,
    },
    activity: { byState, total: Object.values(byState).reduce((a, b) => a + b, 0), waiting, longRunning, longIdleInTransaction },
    locks: { total: locks.rows[0].total, waiting: locks.rows[0].waiting },
    checkpoints: { timed: num(checkpoints.rows[0]?.timed), requested: num(checkpoints.rows[0]?.requested) },
    tableIo: io ?? null,
    tables: tables.rows.map((r) => ({
      schema: r.schema,
      name: r.name,
      seqScan: num(r.seq_scan),
      seqTupRead: num(r.seq_tup_read),
      idxScan: num(r.idx_scan),
      live: num(r.live),
      dead: num(r.dead),
      writes: num(r.writes),
      bytes: sizes?.has(r.relid) ? num(sizes.get(r.relid).bytes) : null,
    })),
    indexes: indexes.map((r) => ({
      schema: r.schema,
      table: r.table,
      name: r.name,
      idxScan: num(r.idx_scan),
      bytes: num(r.bytes),
      isUnique: r.is_unique,
      isPrimary: r.is_primary,
      isValid: r.is_valid,
      columns: String(r.columns).split(' ').map(Number),
      opclasses: r.opclasses,
      partial: r.partial,
      expression: r.expression,
      backsConstraint: r.backs_constraint,
      definition: r.definition,
    })),
    extensions: { pgStatStatements: ext.has('pg_stat_statements'), hypopg: ext.has('hypopg') },
    statements: await readStatements(client, versionNum, ext.has('pg_stat_statements')),
  };
}

async function readStatements(client: pg.Client, versionNum: number, installed: boolean): Promise<TargetSnapshot['statements']> {
  if (!installed) return { available: false, reason: 'extension pg_stat_statements is not installed in this database (CREATE EXTENSION pg_stat_statements)' };
  try {
    const resetAt = versionNum >= 140000 ? ((await client.query(STATEMENTS_INFO_SQL)).rows[0]?.stats_reset ?? null) : null;
    const { rows } = await client.query(statementsSql(versionNum));
    return {
      available: true,
      resetAt: resetAt ? new Date(resetAt).toISOString() : null,
      rows: rows.map((r) => ({
        key: r.key,
        queryId: r.query_id,
        query: r.query,
        calls: num(r.calls),
        totalMs: num(r.total_ms),
        rows: num(r.rows),
        blksHit: num(r.blks_hit),
        blksRead: num(r.blks_read),
      })),
    };
  } catch (err) {
    // Installed but not preloaded: "pg_stat_statements must be loaded via shared_preload_libraries".
    return { available: false, reason: `pg_stat_statements is not usable: ${(err as Error).message}` };
  }
}

/** Column names of the given tables, keyed by schema.table. */
export async function tableColumns(client: pg.Client, tables: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (!tables.length) return out;
  const { rows } = await client.query(COLUMNS_SQL, [tables.map((t) => t.split('.').slice(1).join('.'))]);
  for (const r of rows) {
    const key = `${r.schema}.${r.table}`;
    if (!tables.includes(key)) continue;
    out.set(key, [...(out.get(key) ?? []), r.column]);
  }
  return out;
}
