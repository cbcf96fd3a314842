// Table checksums on a real PostgreSQL: the record hash where every column type has a hash function,
// the text hash where one does not, and a table checked in block ranges adds up to the whole.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addChecksums, applyFactSettings, tableBlocks, tableContent, tableContentOfSource } from '../src/clients/source-facts.js';
import { blockRanges } from '../src/domain/facts.js';
import { admin, createSourceDb, dropDb, serverUrl } from './fixtures.js';

let db: string;
let client: pg.Client;

beforeAll(async () => {
  db = await createSourceDb('checksums', 1_000);
  await admin(async (c) => {
    await c.query(`CREATE TABLE shapes (id int PRIMARY KEY, doc json NOT NULL, at point)`);
    await c.query(`INSERT INTO shapes SELECT g, json_build_object('g', g), point(g, g) FROM generate_series(1, 50) g`);
    // About 250 heap blocks, checked below in ranges of 64 blocks.
    await c.query(`CREATE TABLE wide (id int, pad text)`);
    await c.query(`INSERT INTO wide SELECT g, repeat(md5(g::text), 6) FROM generate_series(1, 10000) g`);
  }, db);
  client = new pg.Client({ connectionString: serverUrl(db) });
  await client.connect();
}, 120_000);

afterAll(async () => {
  await client?.end();
  if (db) await dropDb(db);
});

const inTx = async <T>(fn: () => Promise<T>) => {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    await applyFactSettings(client);
    return await fn();
  } finally {
    await client.query('COMMIT');
  }
};

describe('table checksums', () => {
  it('uses the record hash only where every column hashes by value alone (not enums, not json)', async () => {
    const [customers, shapes, invoices] = await inTx(async () => [
      await tableContentOfSource(client, 'public', 'customers'),
      await tableContentOfSource(client, 'public', 'shapes'),
      await tableContentOfSource(client, 'billing', 'invoices'),
    ]);
    // customers has an enum column (an enum hashes its label's OID, which a restore assigns afresh).
    expect(customers).toMatchObject({ rows: 1_000, method: 'text' });
    expect(shapes).toMatchObject({ rows: 50, method: 'text' });
    expect(invoices).toMatchObject({ rows: 2_000, method: 'record' });
    // Each method is a different hash of the same rows, and the record hash is deterministic.
    const again = await inTx(() => tableContent(client, 'billing', 'invoices', 'record'));
    expect(again.checksum).toBe(invoices.checksum);
    const asText = await inTx(() => tableContent(client, 'billing', 'invoices', 'text'));
    expect(asText.checksum).not.toBe(invoices.checksum);
  });

  it('checks a large table in block ranges that add up to the whole-table count and checksum', async () => {
    const blocks = (await tableBlocks(client, [{ schema: 'public', name: 'wide' }])).get('public.wide')!;
    const ranges = blockRanges(blocks, 2, 64);
    expect(ranges.length).toBeGreaterThanOrEqual(3);
    const whole = await inTx(() => tableContent(client, 'public', 'wide', 'record'));
    const parts = await inTx(async () => {
      const out = [];
      for (const r of ranges) out.push(await tableContent(client, 'public', 'wide', 'record', r));
      return out;
    });
    expect(parts.reduce((n, p) => n + p.rows, 0)).toBe(whole.rows);
    expect(addChecksums(parts.map((p) => p.checksum))).toBe(whole.checksum);
    // A changed row changes the sum.
    await admin((c) => c.query(`UPDATE wide SET pad = 'x' WHERE id = 7`), db);
    expect((await inTx(() => tableContent(client, 'public', 'wide', 'record'))).checksum).not.toBe(whole.checksum);
  });
});
