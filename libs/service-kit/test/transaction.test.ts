// withTransaction against real PostgreSQL: commit, rollback with the original error, the
// tenant scope (role + app.tenant_id, so row-level security applies), and scopeTransaction.
import { expect } from 'vitest';
import type pg from 'pg';
import { createPool, scopeTransaction, withTransaction } from '../src/index.js';
import { databaseTest } from '../src/testing/index.js';

const ROLE = 'vigil_kit_test_tenant';

const it = databaseTest({ label: 'kittx' }).extend<{ pool: pg.Pool }>({
  pool: [
    async ({ kit }, use) => {
      const pool = createPool(kit.databaseUrl, 3);
      await pool.query(`
    CREATE TABLE notes (id serial PRIMARY KEY, tenant_id text NOT NULL, body text NOT NULL);
    DO $$ BEGIN CREATE ROLE ${ROLE} NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
    GRANT USAGE ON SCHEMA public TO ${ROLE};
    GRANT SELECT, INSERT ON notes TO ${ROLE};
    GRANT USAGE ON SEQUENCE notes_id_seq TO ${ROLE};
    ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
    CREATE POLICY by_tenant ON notes USING (tenant_id = current_setting('app.tenant_id', true)) WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
    INSERT INTO notes (tenant_id, body) VALUES ('acme', 'a1'), ('globex', 'g1');
  `);
      await use(pool);
      await pool.end();
    },
    { scope: 'file' },
  ],
});

const count = async (pool: pg.Pool) => Number((await pool.query('SELECT count(*) AS n FROM notes')).rows[0].n);

it('commits and returns the result', async ({ pool }) => {
  const id = await withTransaction(pool, async (tx) => (await tx.query(`INSERT INTO notes (tenant_id, body) VALUES ('acme', 'a2') RETURNING id`)).rows[0].id as number);
  expect(id).toBeGreaterThan(0);
  expect((await pool.query('SELECT body FROM notes WHERE id = $1', [id])).rows[0].body).toBe('a2');
});

it('rolls back on throw and rethrows the original error; the client goes back to the pool', async ({ pool }) => {
  const before = await count(pool);
  const boom = new Error('boom');
  await expect(
    withTransaction(pool, async (tx) => {
      await tx.query(`INSERT INTO notes (tenant_id, body) VALUES ('acme', 'lost')`);
      throw boom;
    }),
  ).rejects.toBe(boom);
  expect(await count(pool)).toBe(before);
  // An SQL error inside: rolled back too, and the pool still serves (no client leaked in a failed transaction).
  await expect(withTransaction(pool, (tx) => tx.query('SELECT * FROM no_such_table'))).rejects.toThrow(/no_such_table/);
  for (let i = 0; i < 5; i++) expect((await withTransaction(pool, (tx) => tx.query('SELECT 1 AS one'))).rows[0].one).toBe(1);
  expect(pool.totalCount).toBeLessThanOrEqual(3);
  expect(pool.waitingCount).toBe(0);
});

it('scopes a transaction to a tenant: row-level security sees only its rows', async ({ pool }) => {
  const seen = await withTransaction(
    pool,
    async (tx) => {
      const who = (await tx.query(`SELECT current_user AS u, current_setting('app.tenant_id', true) AS t`)).rows[0];
      const rows = (await tx.query('SELECT body FROM notes ORDER BY id')).rows.map((r) => r.body as string);
      return { who, rows };
    },
    { tenant: { id: 'globex', role: ROLE } },
  );
  expect(seen.who).toEqual({ u: ROLE, t: 'globex' });
  expect(seen.rows).toEqual(['g1']);
  // Writing another tenant's row is refused by the policy.
  await expect(
    withTransaction(pool, (tx) => tx.query(`INSERT INTO notes (tenant_id, body) VALUES ('acme', 'x')`), { tenant: { id: 'globex', role: ROLE } }),
  ).rejects.toThrow(/row-level security/);
  // A tenant id with quotes is a value, never SQL.
  const odd = await withTransaction(pool, async (tx) => (await tx.query(`SELECT current_setting('app.tenant_id', true) AS t`)).rows[0].t, { tenant: { id: "o'brien; DROP TABLE notes", role: ROLE } });
  expect(odd).toBe("o'brien; DROP TABLE notes");
  // The scope is local: the next transaction on the same pool is the service login again.
  expect((await withTransaction(pool, (tx) => tx.query('SELECT current_user AS u'))).rows[0].u).toBe('postgres');
  await expect(withTransaction(pool, async () => undefined, { tenant: { id: 'x', role: 'bad role; --' } })).rejects.toThrow(/invalid tenant role/);
});

it('scopeTransaction scopes an already open transaction; isolation and read-only are honoured', async ({ pool }) => {
  const rows = await withTransaction(pool, async (tx) => {
    await scopeTransaction(tx, { id: 'acme', role: ROLE });
    return (await tx.query('SELECT body FROM notes ORDER BY id')).rows.map((r) => r.body as string);
  });
  expect(rows).toEqual(['a1', 'a2']);
  const level = await withTransaction(pool, async (tx) => (await tx.query('SHOW transaction_isolation')).rows[0].transaction_isolation, { isolation: 'serializable' });
  expect(level).toBe('serializable');
  await expect(withTransaction(pool, (tx) => tx.query(`INSERT INTO notes (tenant_id, body) VALUES ('acme', 'ro')`), { readOnly: true })).rejects.toThrow(/read-only transaction/);
});
