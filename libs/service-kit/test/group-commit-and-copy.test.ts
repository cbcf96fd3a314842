// GroupCommit and copyOutBinary against real PostgreSQL: concurrent submits share transactions,
// each resolves only after its commit, lane order is kept, one bad item fails alone; a binary
// COPY comes back as pages of whole tuples, with errors reported.
import { expect } from 'vitest';
import type pg from 'pg';
import { committedInQuery, copyOutBinary, createPool, GroupCommit, withTransaction } from '../src/index.js';
import { databaseTest } from '../src/testing/index.js';

const it = databaseTest({ label: 'kitgroup' }).extend<{ pool: pg.Pool }>({
  pool: [
    async ({ kit }, use) => {
      const pool = createPool(kit.databaseUrl, 4);
      await pool.query(`CREATE TABLE writes (seq bigserial PRIMARY KEY, lane text NOT NULL, n int NOT NULL CHECK (n >= 0), tx text NOT NULL DEFAULT txid_current()::text)`);
      await use(pool);
      await pool.end();
    },
    { scope: 'file' },
  ],
});

const commits = (pool: pg.Pool) =>
  new GroupCommit<{ lane: string; n: number }, number>({
    pool,
    laneOf: (w) => w.lane,
    maxBatch: 50,
    apply: async (tx, items) => {
      const { rows } = await tx.query<{ seq: string }>(
        `INSERT INTO writes (lane, n) SELECT u.lane, u.n FROM unnest($1::text[], $2::int[]) WITH ORDINALITY AS u(lane, n, o) ORDER BY o RETURNING seq`,
        [items.map((i) => i.lane), items.map((i) => i.n)],
      );
      return rows.map((r) => Number(r.seq));
    },
  });

it('concurrent submits share transactions, resolve after their commit, and keep each lane in order', async ({ pool }) => {
  const gc = commits(pool);
  const submitted = Array.from({ length: 300 }, (_, i) => ({ lane: i % 2 ? 'odd' : 'even', n: i }));
  const seqs = await Promise.all(submitted.map((w) => gc.submit(w)));
  // Resolved means committed: a fresh connection sees every row.
  const { rows } = await pool.query<{ seq: string; lane: string; n: number; tx: string }>(`SELECT seq, lane, n, tx FROM writes ORDER BY seq`);
  expect(rows).toHaveLength(300);
  expect(new Set(seqs).size).toBe(300);
  const bySeq = new Map(rows.map((r) => [Number(r.seq), r]));
  seqs.forEach((seq, i) => expect(bySeq.get(seq)?.n).toBe(i));
  for (const lane of ['odd', 'even']) {
    const ns = rows.filter((r) => r.lane === lane).map((r) => r.n);
    expect(ns).toEqual(submitted.filter((w) => w.lane === lane).map((w) => w.n));
  }
  // Far fewer transactions than writes, and no batch above maxBatch.
  const perTx = new Map<string, number>();
  for (const r of rows) perTx.set(r.tx, (perTx.get(r.tx) ?? 0) + 1);
  expect(perTx.size).toBeLessThan(100);
  expect(Math.max(...perTx.values())).toBeLessThanOrEqual(50);
});

it('one item that violates a constraint fails alone; its neighbours commit', async ({ pool }) => {
  await pool.query(`TRUNCATE writes`);
  const gc = commits(pool);
  const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => gc.submit({ lane: 'x', n: i === 7 ? -1 : i })));
  expect(results.map((r) => r.status)).toEqual(Array.from({ length: 20 }, (_, i) => (i === 7 ? 'rejected' : 'fulfilled')));
  expect(String((results[7] as PromiseRejectedResult).reason)).toMatch(/check constraint/);
  const { rows } = await pool.query<{ n: number }>(`SELECT n FROM writes ORDER BY seq`);
  expect(rows.map((r) => r.n)).toEqual(Array.from({ length: 20 }, (_, i) => i).filter((i) => i !== 7));
});

it('with a stage ending in a lock, two transactions of a lane overlap and the locked part keeps arrival order', async ({ pool }) => {
  await pool.query(`CREATE TABLE IF NOT EXISTS ordered (pos bigserial PRIMARY KEY, first_seq bigint NOT NULL, n int NOT NULL)`);
  let inFlight = 0;
  let maxSeen = 0;
  const gc = new GroupCommit<number, number, number[]>({
    pool,
    maxBatch: 10,
    stage: async (tx, items) => {
      inFlight++;
      maxSeen = Math.max(maxSeen, inFlight);
      const { rows } = await tx.query<{ seq: string }>(`INSERT INTO writes (lane, n) SELECT 'staged', n FROM unnest($1::int[]) WITH ORDINALITY AS u(n, o) ORDER BY o RETURNING seq`, [items]);
      await tx.query(`SELECT pg_advisory_xact_lock(4242)`);
      return rows.map((r) => Number(r.seq));
    },
    apply: async (tx, items, _lane, seqs) => {
      await tx.query(`INSERT INTO ordered (first_seq, n) SELECT $1, n FROM unnest($2::int[]) WITH ORDINALITY AS u(n, o) ORDER BY o`, [seqs[0], items]);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return seqs;
    },
  });
  const N = 120;
  const seqs = await Promise.all(Array.from({ length: N }, (_, n) => gc.submit(n)));
  expect(new Set(seqs).size).toBe(N);
  // The part after the lock is in arrival order, and so are the staged rows.
  expect((await pool.query<{ n: number }>(`SELECT n FROM ordered ORDER BY pos`)).rows.map((r) => r.n)).toEqual(Array.from({ length: N }, (_, n) => n));
  expect((await pool.query<{ n: number }>(`SELECT n FROM writes WHERE lane = 'staged' ORDER BY seq`)).rows.map((r) => r.n)).toEqual(Array.from({ length: N }, (_, n) => n));
  expect(maxSeen).toBe(2);
});

it('without a stage, maxInFlight transactions of a lane run side by side, each batch in its own order', async ({ pool }) => {
  await pool.query(`TRUNCATE writes`);
  let inFlight = 0;
  let maxSeen = 0;
  const gc = new GroupCommit<number, number>({
    pool,
    maxBatch: 10,
    maxInFlight: 3,
    apply: async (tx, items) => {
      inFlight++;
      maxSeen = Math.max(maxSeen, inFlight);
      const { rows } = await tx.query<{ seq: string }>(`INSERT INTO writes (lane, n) SELECT 'side', n FROM unnest($1::int[]) WITH ORDINALITY AS u(n, o) ORDER BY o RETURNING seq`, [items]);
      await new Promise((r) => setTimeout(r, 20));
      inFlight--;
      return rows.map((r) => Number(r.seq));
    },
  });
  const N = 90;
  const seqs = await Promise.all(Array.from({ length: N }, (_, n) => gc.submit(n)));
  expect(new Set(seqs).size).toBe(N);
  expect(maxSeen).toBe(3);
  const { rows } = await pool.query<{ n: number; tx: string }>(`SELECT n, tx FROM writes WHERE lane = 'side' ORDER BY seq`);
  expect(rows).toHaveLength(N);
  const byTx = new Map<string, number[]>();
  for (const r of rows) byTx.set(r.tx, [...(byTx.get(r.tx) ?? []), r.n]);
  for (const ns of byTx.values()) expect(ns).toEqual([...ns].sort((a, b) => a - b));
});

it('withTransaction sends no COMMIT after a query that ended with its own (committedInQuery); a query failing before its COMMIT is rolled back', async ({ pool }) => {
  await pool.query(`TRUNCATE writes`);
  const notices: string[] = [];
  const onNotice = (n: { message?: string }) => notices.push(String(n.message));
  let first: pg.PoolClient | undefined;
  await withTransaction(pool, async (tx) => {
    first = tx;
    tx.on('notice', onNotice);
    await tx.query(`INSERT INTO writes (lane, n) VALUES ('cq', 1); COMMIT`);
    committedInQuery(tx);
  });
  await expect(
    withTransaction(pool, async (tx) => {
      await tx.query(`INSERT INTO writes (lane, n) VALUES ('cq', 2); INSERT INTO writes (lane, n) VALUES ('cq', -1); COMMIT`);
      committedInQuery(tx);
    }),
  ).rejects.toThrow(/check constraint/);
  // The client of the failed one went back to the pool usable (rolled back, not left aborted).
  await Promise.all(Array.from({ length: 4 }, () => withTransaction(pool, (tx) => tx.query(`INSERT INTO writes (lane, n) VALUES ('cq', 3)`))));
  expect((await pool.query<{ n: number }>(`SELECT n FROM writes WHERE lane = 'cq' ORDER BY seq`)).rows.map((r) => r.n)).toEqual([1, 3, 3, 3, 3]);
  // A second COMMIT would have drawn "there is no transaction in progress".
  first?.off('notice', onNotice);
  expect(notices).toEqual([]);
});

it('copyOutBinary hands over pages of whole tuples, and reports an SQL error', async ({ pool }) => {
  const client = await pool.connect();
  try {
    const pages: { bytes: number; tuples: number; ns: number[] }[] = [];
    const n = await copyOutBinary(
      client,
      `COPY (SELECT g::int4 AS n, repeat('x', g % 700) AS pad, CASE WHEN g % 5 = 0 THEN NULL ELSE 'v' END AS maybe FROM generate_series(1, 20000) g ORDER BY g) TO STDOUT (FORMAT binary)`,
      (page, tuples) => {
        // Walk the tuples: int16 field count, then int32 length (-1 = NULL) + bytes per field.
        const ns: number[] = [];
        let p = 0;
        for (let t = 0; t < tuples; t++) {
          expect(page.readInt16BE(p)).toBe(3);
          p += 2;
          expect(page.readInt32BE(p)).toBe(4);
          ns.push(page.readInt32BE(p + 4));
          p += 8;
          const padLen = page.readInt32BE(p);
          p += 4 + padLen;
          const maybeLen = page.readInt32BE(p);
          p += 4 + Math.max(0, maybeLen);
        }
        expect(p).toBe(page.length);
        pages.push({ bytes: page.length, tuples, ns });
      },
      { pageBytes: 64 * 1024 },
    );
    expect(n).toBe(20000);
    expect(pages.length).toBeGreaterThan(10);
    expect(pages.flatMap((p) => p.ns)).toEqual(Array.from({ length: 20000 }, (_, i) => i + 1));
    await expect(copyOutBinary(client, `COPY (SELECT * FROM no_such_table) TO STDOUT (FORMAT binary)`, () => undefined)).rejects.toThrow(/no_such_table/);
    // The client is usable afterwards.
    expect((await client.query('SELECT 1 AS one')).rows[0].one).toBe(1);
  } finally {
    client.release();
  }
});

it('copyOutBinary holds the stream back while a promise of onPage is pending, and fails with its rejection', async ({ pool }) => {
  const client = await pool.connect();
  try {
    const sql = `COPY (SELECT g::int4 AS n, repeat('x', 200) AS pad FROM generate_series(1, 20000) g ORDER BY g) TO STDOUT (FORMAT binary)`;
    // 256 KiB pages: while the first is held, at most one more socket read (64 KiB) arrives, not a whole page.
    let released = false;
    const seen: boolean[] = [];
    let total = 0;
    const n = await copyOutBinary(
      client,
      sql,
      (_page, tuples) => {
        total += tuples;
        seen.push(released);
        if (seen.length > 1) return undefined;
        return new Promise<void>((resolve) =>
          setTimeout(() => {
            released = true;
            resolve();
          }, 100),
        );
      },
      { pageBytes: 256 * 1024 },
    );
    expect(n).toBe(20000);
    expect(total).toBe(20000);
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.slice(1).every(Boolean)).toBe(true);

    // A rejected promise fails the COPY with its error; the output is still drained, so the client stays usable.
    let calls = 0;
    await expect(copyOutBinary(client, sql, () => (++calls === 2 ? Promise.reject(new Error('worker gone')) : undefined), { pageBytes: 64 * 1024 })).rejects.toThrow('worker gone');
    expect((await client.query('SELECT 2 AS two')).rows[0].two).toBe(2);
  } finally {
    client.release();
  }
});
