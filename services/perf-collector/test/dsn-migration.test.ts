// Data migration 0003: target connection strings sealed in perf-collector's old layout
// (iv | tag | ciphertext under the raw key) are re-sealed in the platform's vs1 format.
// Migrate to just before it, insert rows in the old format, migrate, and open them.
import { createCipheriv, randomBytes } from 'node:crypto';
import type pg from 'pg';
import { describe, expect } from 'vitest';
import { eventsMigrations } from '@vigil/events';
import { createPool, migrate, openSecret } from '@vigil/service-kit';
import { databaseTest } from '@vigil/service-kit/testing';
import { getTarget } from '../src/db/targets.js';
import { targetView } from '../src/operations/targets.js';

const MIGRATIONS = new URL('../migrations', import.meta.url).pathname;
const KEY = 'ab'.repeat(32);
const ROTATED_AWAY = 'cd'.repeat(32);

/** The format secret-box.ts wrote before this migration. */
function sealLegacy(plain: string, hexKey: string): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(hexKey, 'hex'), iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

// An empty database of its own: this test runs the migrations itself.
const it = databaseTest({ label: 'perfdsn' }).extend<{ pool: pg.Pool }>({
  pool: [
    async ({ kit }, use) => {
      const pool = createPool(kit.databaseUrl, 2, 'perf-dsn-migration-test');
      await use(pool);
      await pool.end();
    },
    { scope: 'file' },
  ],
});

describe('migration 0003: sealed target connection strings', () => {
  it('re-seals old-format connection strings so they open with PERF_SECRET_KEY, and keeps unopenable ones unreadable', async ({ pool }) => {
    const before = await migrate(pool, { schema: 'perf', dir: MIGRATIONS, library: eventsMigrations, until: '0003' });
    expect(before).toContain('0002_collector');
    expect(before).not.toContain('0003_sealed_target_dsns');

    const conn = 'postgres://monitor:s3cret-pass@db.example:5432/shop';
    const insert = (id: string, sealed: Buffer) =>
      pool.query(`INSERT INTO perf.targets (id, tenant_id, name, conn_enc, interval_s) VALUES ($1, 'acme', $1, $2, 60)`, [id, sealed]);
    await insert('old-format', sealLegacy(conn, KEY));
    await insert('old-key', sealLegacy('postgres://x:y@elsewhere/db', ROTATED_AWAY));

    const applied = await migrate(pool, { schema: 'perf', dir: MIGRATIONS, library: eventsMigrations, context: { config: { PERF_SECRET_KEY: KEY } } });
    expect(applied[0]).toBe('0003_sealed_target_dsns');

    const good = (await getTarget(pool, 'acme', 'old-format'))!;
    expect(good.connSealed).toMatch(/^vs1:/);
    expect(good.connSealed).not.toContain('s3cret-pass');
    expect(openSecret(good.connSealed, KEY, 'perf.target-dsn')).toBe(conn);
    expect(targetView(good, KEY).connection).toBe('postgres://monitor:***@db.example:5432/shop');

    const stale = (await getTarget(pool, 'acme', 'old-key'))!;
    expect(stale.connSealed).toMatch(/^legacy-unopened:/);
    expect(() => openSecret(stale.connSealed, KEY, 'perf.target-dsn')).toThrow();
    expect(targetView(stale, KEY).connection).toBe('(unreadable with the current key)');

    const columns = await pool.query(`SELECT column_name FROM information_schema.columns WHERE table_schema = 'perf' AND table_name = 'targets' AND column_name LIKE 'conn%'`);
    expect(columns.rows.map((r) => r.column_name)).toEqual(['conn_sealed']);
  });
});
