// Migrations: SQL and code files in order, each once; `until` stops before a migration so a
// data migration can be tested (migrate to just before, insert old data, migrate, assert).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type pg from 'pg';
import { createPool, migrate, openSecret } from '../src/index.js';
import { databaseTest } from '../src/testing/index.js';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/code-migrations');
const it = databaseTest({ label: 'kitmigrate' }).extend<{ pool: pg.Pool }>({
  pool: [
    async ({ kit }, use) => {
      const pool = createPool(kit.databaseUrl, 2);
      await use(pool);
      await pool.end();
    },
    { scope: 'file' },
  ],
});

it('runs a code migration once, in order, with the config; until stops just before it', async ({ pool }) => {
  const logged: unknown[] = [];
  const context = { config: { TEST_SECRET_KEY: 'k'.repeat(32) }, log: { info: (o: object) => void logged.push(o), warn: () => undefined } };
  expect(await migrate(pool, { schema: 'kit_mig', dir, context, until: '0002' })).toEqual(['0001_accounts']);
  await pool.query(`INSERT INTO kit_mig.accounts (dsn) VALUES ('postgres://app:hunter2@db:5432/shop')`);

  expect(await migrate(pool, { schema: 'kit_mig', dir, context })).toEqual(['0002_seal_dsns', '0003_accounts_label']);
  const { rows } = await pool.query<{ dsn: string; label: string }>('SELECT dsn, label FROM kit_mig.accounts');
  expect(rows[0]!.dsn).toMatch(/^vs1:/);
  expect(openSecret(rows[0]!.dsn, 'k'.repeat(32), 'test.dsn')).toBe('postgres://app:hunter2@db:5432/shop');
  expect(rows[0]!.label).toBe('');
  expect(logged).toEqual([{ rows: 1 }]);

  // Applied once: a second run does nothing.
  expect(await migrate(pool, { schema: 'kit_mig', dir, context })).toEqual([]);
  const ids = (await pool.query<{ id: string }>('SELECT id FROM kit_mig.schema_migrations ORDER BY id')).rows.map((r) => r.id);
  expect(ids).toEqual(['0001_accounts', '0002_seal_dsns', '0003_accounts_label']);
});

it('rolls back a failing code migration with its bookkeeping and names it', async ({ pool }) => {
  await migrate(pool, { schema: 'kit_mig2', dir, until: '0002' });
  await pool.query(`INSERT INTO kit_mig2.accounts (dsn) VALUES ('postgres://app:pw@db/x')`);
  await expect(migrate(pool, { schema: 'kit_mig2', dir })).rejects.toThrow(/migration kit_mig2\/0002_seal_dsns failed: TEST_SECRET_KEY is not set/);
  const ids = (await pool.query<{ id: string }>('SELECT id FROM kit_mig2.schema_migrations')).rows.map((r) => r.id);
  expect(ids).toEqual(['0001_accounts']);
  expect((await pool.query('SELECT dsn FROM kit_mig2.accounts')).rows[0].dsn).toBe('postgres://app:pw@db/x');
  await expect(migrate(pool, { schema: 'kit_mig3', dir, until: '2' })).rejects.toThrow(/until must be a four-digit migration number/);
});
