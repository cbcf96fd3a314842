// Migration 0003 re-seals the source URLs stored in the pre-kit format: migrate to just before
// it, insert a policy with the old format, migrate, and the app opens the secret.
import { createCipheriv, createHash, randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { afterAll, beforeEach, describe, expect } from 'vitest';
import { eventsMigrations } from '@vigil/events';
import { createPool, isSealed, migrate } from '@vigil/service-kit';
import { databaseTest, type TestKit } from '@vigil/service-kit/testing';
import { loadServiceConfig } from '../src/config.js';
import { getPolicy } from '../src/db/policies.js';
import { sourceOf } from '../src/operations/context.js';

const MIGRATIONS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'migrations');
const KEY = 'k'.repeat(40);
const URL_WITH_PASSWORD = 'postgres://backup:s3cret%21@db.internal:6432/orders';
const silent = { info: () => undefined, warn: () => undefined };

/** The format dr-orchestrator wrote before the kit's sealSecret (its old domain/source-url.ts). */
function legacySeal(plain: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', createHash('sha256').update(`vigil-dr-source:${secret}`).digest(), iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `v1:${iv.toString('base64')}:${cipher.getAuthTag().toString('base64')}:${body.toString('base64')}`;
}

// An empty database of its own: this file migrates it step by step.
const it = databaseTest({ label: 'drseal' });
let kit: TestKit;
let pool: pg.Pool;

async function insertLegacyPolicy(schema: string, id: string, sealed: string): Promise<void> {
  await pool.query(
    `INSERT INTO ${schema}.policies (id, tenant_id, database, schedule, name, source_url_enc, source_display, repository_path)
     VALUES ($1, 'acme', 'orders', '0 3 * * *', 'orders', $2, 'postgres://backup:***@db.internal:6432/orders', '/var/backups')`,
    [id, sealed],
  );
}

beforeEach<{ kit: TestKit }>(async ({ kit: k }) => {
  if (pool) return;
  kit = k;
  pool = createPool(kit.databaseUrl, 2);
});

afterAll(async () => {
  await pool?.end();
});

describe('migration 0003_seal_source_urls', () => {
  it('re-seals a pre-kit source URL so that the app opens it', async () => {
    const context = { config: { DR_SOURCE_KEY: KEY }, log: silent };
    const before = await migrate(pool, { schema: 'dr', dir: MIGRATIONS, library: eventsMigrations, context, until: '0003' });
    expect(before).toContain('0002_backups');
    expect(before).not.toContain('0003_seal_source_urls');
    const id = randomUUID();
    const legacy = legacySeal(URL_WITH_PASSWORD, KEY);
    await insertLegacyPolicy('dr', id, legacy);

    expect(await migrate(pool, { schema: 'dr', dir: MIGRATIONS, library: eventsMigrations, context })).toContain('0003_seal_source_urls');
    const { rows } = await pool.query<{ source_url_enc: string }>('SELECT source_url_enc FROM dr.policies WHERE id = $1', [id]);
    expect(rows[0]!.source_url_enc).not.toBe(legacy);
    expect(isSealed(rows[0]!.source_url_enc)).toBe(true);
    expect(rows[0]!.source_url_enc).not.toContain('s3cret');
    // The secret opens the way the app opens it when it runs a backup.
    const config = loadServiceConfig({ ...kit.env, DR_SOURCE_KEY: KEY });
    const policy = await getPolicy(pool, 'acme', id);
    expect(sourceOf(config, policy!)).toMatchObject({ url: URL_WITH_PASSWORD, parts: { user: 'backup', password: 's3cret!', database: 'orders' } });
  });

  it('fails naming the policy when the key does not open the old value, and changes nothing', async () => {
    await migrate(pool, { schema: 'dr_badkey', dir: MIGRATIONS, library: eventsMigrations, until: '0003' });
    const id = randomUUID();
    const legacy = legacySeal(URL_WITH_PASSWORD, KEY);
    await insertLegacyPolicy('dr_badkey', id, legacy);
    await expect(migrate(pool, { schema: 'dr_badkey', dir: MIGRATIONS, library: eventsMigrations, context: { config: { DR_SOURCE_KEY: 'w'.repeat(40) }, log: silent } })).rejects.toThrow(
      new RegExp(`policy ${id} does not open with DR_SOURCE_KEY`),
    );
    const { rows } = await pool.query<{ source_url_enc: string }>('SELECT source_url_enc FROM dr_badkey.policies WHERE id = $1', [id]);
    expect(rows[0]!.source_url_enc).toBe(legacy);
  });
});
