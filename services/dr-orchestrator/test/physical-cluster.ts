// A throwaway PostgreSQL 15 cluster with WAL archiving on (archive_mode needs a restart, which
// the shared cluster must not get), as perf-collector's tests start theirs: its own port and
// folder, run as the `postgres` OS user (initdb refuses root). Vigil sets archive_command itself.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);
export const PG_BIN = '/usr/lib/postgresql/15/bin';
const asPostgres = (cmd: string, args: string[]) => run('runuser', ['-u', 'postgres', '--', cmd, ...args], { timeout: 120_000 });

export interface PhysicalCluster {
  port: number;
  dir: string;
  /** Folder of the test's pgBackRest config, repository and scratch clusters. */
  work: string;
  url(database?: string): string;
  sql<T extends pg.QueryResultRow = pg.QueryResultRow>(database: string, text: string, params?: unknown[]): Promise<T[]>;
  stop(): Promise<void>;
}

export async function startPhysicalCluster(port: number): Promise<PhysicalCluster> {
  const work = `/tmp/vigil-dr-pitr-${port}`;
  const dir = `${work}/data`;
  if (existsSync(`${dir}/postmaster.pid`)) await asPostgres(`${PG_BIN}/pg_ctl`, ['-D', dir, '-m', 'immediate', 'stop']).catch(() => undefined);
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true, mode: 0o755 });
  await run('install', ['-d', '-o', 'postgres', '-g', 'postgres', '-m', '700', dir]);
  await asPostgres(`${PG_BIN}/initdb`, ['-D', dir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const settings = [
    `-p ${port}`,
    `-k ${dir}`,
    "-c listen_addresses='127.0.0.1'",
    '-c fsync=off',
    '-c max_connections=30',
    '-c shared_buffers=16MB',
    '-c wal_level=replica',
    '-c archive_mode=on',
    // A short archive_timeout keeps the tests' waits short: a partly filled segment is archived after 2 s.
    '-c archive_timeout=2',
  ].join(' ');
  await asPostgres(`${PG_BIN}/pg_ctl`, ['-D', dir, '-l', `${dir}/server.log`, '-o', settings, '-w', '-t', '60', 'start']);
  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  return {
    port,
    dir,
    work,
    url,
    async sql(database, text, params) {
      const client = new pg.Client({ connectionString: url(database) });
      await client.connect();
      try {
        return (await client.query(text, params)).rows;
      } finally {
        await client.end();
      }
    },
    async stop() {
      await asPostgres(`${PG_BIN}/pg_ctl`, ['-D', dir, '-m', 'immediate', 'stop']).catch(() => undefined);
      await rm(work, { recursive: true, force: true });
    },
  };
}
