// Scratch databases for restore checks, amcheck, and stale-session cleanup (admin SQL).
import pg from 'pg';

type Queryable = Pick<pg.Client, 'query'>;

const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

export async function withClient<T>(url: string, applicationName: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: applicationName, connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function createDatabase(admin: Queryable, name: string): Promise<void> {
  await admin.query(`CREATE DATABASE ${ident(name)} TEMPLATE template0`);
}

export async function dropDatabase(admin: Queryable, name: string): Promise<void> {
  await admin.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`);
}

/** Ends sessions left by a dead orchestrator's pg_dump/pg_restore (tagged by application_name). */
export async function terminateSessions(admin: Queryable, applicationName: string): Promise<number> {
  const { rowCount } = await admin.query(
    'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()',
    [applicationName],
  );
  return rowCount ?? 0;
}

export async function btreeIndexes(client: Queryable): Promise<string[]> {
  const { rows } = await client.query<{ idx: string }>(
    `SELECT format('%I.%I', n.nspname, c.relname) AS idx
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE am.amname = 'btree' AND i.indisvalid AND i.indisready
        -- A partitioned table's index (relkind 'I') has no storage: each partition's own index is checked.
        AND c.relkind = 'i'
        AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'
      ORDER BY 1`,
  );
  return rows.map((r) => r.idx);
}

/** Installs amcheck (after the schema fingerprint was taken) and returns the schema holding it. */
export async function enableAmcheck(client: Queryable): Promise<string> {
  await client.query('CREATE EXTENSION IF NOT EXISTS amcheck');
  const { rows } = await client.query<{ nspname: string }>(
    `SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'amcheck'`,
  );
  return rows[0]!.nspname;
}

/** bt_index_check: B-tree invariants, without heapallindexed (the row checksums already cover the heap). */
export async function checkBtree(client: Queryable, amcheckSchema: string, index: string): Promise<string | undefined> {
  try {
    await client.query(`SELECT ${ident(amcheckSchema)}.bt_index_check($1::regclass)`, [index]);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}
