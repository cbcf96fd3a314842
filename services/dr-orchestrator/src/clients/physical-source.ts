// SQL on a physical policy's source cluster (which Vigil does not own): WAL archiving settings
// and pg_stat_archiver, the heartbeat table in the policy's Vigil-owned schema, and restore
// points taken together with a consistent snapshot's facts.
import type pg from 'pg';
import type { SnapshotFacts } from '../domain/facts.js';
import type { ArchiverState } from '../domain/physical-policy.js';
import { withTransaction } from '@vigil/service-kit';
import { applyFactSettings, collectFacts } from './source-facts.js';

type Queryable = Pick<pg.Client, 'query'>;
const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

export async function archiveSettings(c: Queryable): Promise<{ archiveMode: string; archiveCommand: string; walLevel: string; dataDirectory: string }> {
  const { rows } = await c.query<{ m: string; c: string; w: string; d: string }>(
    `SELECT current_setting('archive_mode') AS m, current_setting('archive_command') AS c, current_setting('wal_level') AS w, current_setting('data_directory') AS d`,
  );
  return { archiveMode: rows[0]!.m, archiveCommand: rows[0]!.c, walLevel: rows[0]!.w, dataDirectory: rows[0]!.d };
}

/** Sets archive_command (reload, no restart); archive_mode itself needs a restart Vigil does not impose. */
export async function setArchiveCommand(c: Queryable, command: string): Promise<void> {
  await c.query(`ALTER SYSTEM SET archive_command = ${quoteLiteral(command)}`);
  await c.query('SELECT pg_reload_conf()');
}

const quoteLiteral = (s: string) => `'${s.replace(/'/g, "''")}'`;

export async function archiverState(c: Queryable): Promise<ArchiverState> {
  const { rows } = await c.query<{
    archived_count: string;
    last_archived_time: Date | null;
    last_archived_wal: string | null;
    failed_count: string;
    last_failed_time: Date | null;
    last_failed_wal: string | null;
    current_wal: string;
  }>(`SELECT a.*, pg_walfile_name(pg_current_wal_lsn()) AS current_wal FROM pg_stat_archiver a`);
  const r = rows[0]!;
  // A segment older than the current one and newer than the last archived one is waiting.
  const lastArchived = (r.last_archived_wal ?? '').slice(0, 24);
  return {
    archivedCount: Number(r.archived_count),
    lastArchivedAt: r.last_archived_time,
    failedCount: Number(r.failed_count),
    lastFailedAt: r.last_failed_time,
    lastFailedWal: r.last_failed_wal,
    pendingWal: !lastArchived || lastArchived < prevSegment(r.current_wal),
  };
}

/** The WAL file name before `wal` (16 MB segments): what must be archived once `wal` is current. */
function prevSegment(wal: string): string {
  const tli = wal.slice(0, 8);
  const n = BigInt(`0x${wal.slice(8, 16)}`) * 0x100n + BigInt(`0x${wal.slice(16, 24)}`) - 1n;
  const hex = (v: bigint) => v.toString(16).toUpperCase().padStart(8, '0');
  return `${tli}${hex(n / 0x100n)}${hex(n % 0x100n)}`;
}

/**
 * Idempotent, and safe when two sessions race (the watch and a backup): concurrent
 * `CREATE … IF NOT EXISTS` can still fail on the catalog's unique index; the loser retries once.
 */
export async function ensureHeartbeatTable(c: Queryable, schema: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await c.query(`CREATE SCHEMA IF NOT EXISTS ${ident(schema)}`);
      await c.query(`CREATE TABLE IF NOT EXISTS ${ident(schema)}.heartbeat (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, policy_id uuid NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())`);
      return;
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (attempt > 2 || !['23505', '42P06', '42P07', '42710'].includes(code ?? '')) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export async function writeHeartbeat(c: Queryable, schema: string, policyId: string): Promise<Date> {
  const { rows } = await c.query<{ at: Date }>(`INSERT INTO ${ident(schema)}.heartbeat (policy_id) VALUES ($1) RETURNING at`, [policyId]);
  // Keep the table small: a day of heartbeats is plenty to find the newest.
  await c.query(`DELETE FROM ${ident(schema)}.heartbeat WHERE at < now() - interval '2 days'`);
  return rows[0]!.at;
}

export async function heartbeats(c: Queryable, schema: string, policyId: string): Promise<{ id: number; at: Date }[]> {
  const { rows } = await c.query<{ id: string; at: Date }>(`SELECT id, at FROM ${ident(schema)}.heartbeat WHERE policy_id = $1 ORDER BY at`, [policyId]).catch(() => ({ rows: [] }));
  return rows.map((r) => ({ id: Number(r.id), at: r.at }));
}

/**
 * A restore point whose state is exactly a snapshot: in a REPEATABLE READ transaction that
 * holds SHARE locks on every user table (writers wait a moment, readers do not), create the
 * restore point and export the snapshot; a second session imports it, the first commits at
 * once, and the facts are read in the imported snapshot. Nothing can commit to a table
 * between the restore point and the snapshot, so the restored copy must match the facts.
 */
export async function restorePointWithFacts(source: pg.Pool, name: string): Promise<{ lsn: string; facts: SnapshotFacts }> {
  // The table list is read first: LOCK must come before the statement that takes the snapshot.
  const { rows: tables } = await source.query<{ t: string }>(
    `SELECT format('%I.%I', n.nspname, c.relname) AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'`,
  );
  let imported!: () => void;
  const importedSnapshot = new Promise<void>((r) => (imported = r));
  let facts!: Promise<SnapshotFacts>;
  const lsn = await withTransaction(
    source,
    async (lock) => {
      if (tables.length) await lock.query(`LOCK TABLE ${tables.map((t) => t.t).join(', ')} IN SHARE MODE`);
      const { rows } = await lock.query<{ lsn: string; snap: string }>('SELECT pg_create_restore_point($1)::text AS lsn, pg_export_snapshot() AS snap', [name]);
      facts = withTransaction(
        source,
        async (f) => {
          await f.query(`SET TRANSACTION SNAPSHOT ${quoteLiteral(rows[0]!.snap)}`);
          imported();
          await applyFactSettings(f);
          const { rows: meta } = await f.query<{ at: Date; v: string }>(`SELECT now() AS at, current_setting('server_version') AS v`);
          return collectFacts(f, { snapshotAt: meta[0]!.at.toISOString(), serverVersion: meta[0]!.v });
        },
        { isolation: 'repeatable read', readOnly: true },
      );
      // The lock transaction commits as soon as the snapshot is imported: writers wait only that long.
      await Promise.race([importedSnapshot, facts]);
      return rows[0]!.lsn;
    },
    { isolation: 'repeatable read' },
  );
  return { lsn, facts: await facts };
}

export async function walFileOf(c: Queryable, lsn: string): Promise<string> {
  const { rows } = await c.query<{ w: string }>('SELECT pg_walfile_name($1::pg_lsn) AS w', [lsn]);
  return rows[0]!.w;
}
