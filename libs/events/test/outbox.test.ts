// The transactional outbox against real PostgreSQL and Kafka: rows commit or roll back with the
// caller's transaction, the relay sends them in order and deletes them only once acked, a
// failed send keeps them (with the error), NOTIFY wakes the relay, one relay per schema at a time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { Outbox, type Envelope, type EventBus } from '../src/index.js';
import { createTestDatabase, dropTestDatabase, Ping, silentLogger, testBus, uniqueName } from './fixtures/harness.js';

const dbName = uniqueName('evt_outbox_unit');
const ns = dbName.replace(/_/g, '-');
let pool: pg.Pool;
let bus: EventBus;
let reader: EventBus;
const received: Envelope<{ key: string; n: number }>[] = [];

beforeAll(async () => {
  pool = await createTestDatabase(dbName);
  bus = testBus(ns);
  await bus.ensureTopics([Ping]);
  reader = testBus(ns, undefined, 'outbox-unit-reader');
  reader.subscribe(Ping, async (e) => void received.push(e));
  await reader.start();
});

afterAll(async () => {
  await reader?.stop();
  await bus?.stop();
  await pool?.end();
  await dropTestDatabase(dbName);
});

const pending = async () => Number((await pool.query('SELECT count(*) AS n FROM evt.outbox')).rows[0].n);
const waitFor = async (pred: () => boolean | Promise<boolean>, ms = 30_000) => {
  const end = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
};

async function inTx<T>(fn: (tx: pg.PoolClient) => Promise<T>, commit = true): Promise<T> {
  const tx = await pool.connect();
  try {
    await tx.query('BEGIN');
    const out = await fn(tx);
    await tx.query(commit ? 'COMMIT' : 'ROLLBACK');
    return out;
  } finally {
    tx.release();
  }
}

describe('Outbox', () => {
  it('stores events with the transaction: a rollback leaves no row, a commit leaves encoded rows', async () => {
    const outbox = new Outbox({ pool, schema: 'evt', bus, logger: silentLogger });
    await inTx((tx) => outbox.enqueue(tx, Ping, { key: 'a', n: 1 }, { tenantId: 't' }), false);
    expect(await pending()).toBe(0);
    const e = await inTx((tx) => outbox.enqueue(tx, Ping, { key: 'a', n: 2 }, { tenantId: 't', headers: { 'x-extra': '1' } }));
    await inTx((tx) => outbox.enqueueMany(tx, Ping, [3, 4, 5].map((n) => ({ data: { key: 'b', n }, opts: { tenantId: 't' } }))));
    const { rows } = await pool.query('SELECT event_id, topic, key, value, headers FROM evt.outbox ORDER BY seq');
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatchObject({ event_id: e.id, topic: 'test.ping', key: 'a', headers: { 'x-extra': '1' } });
    // No catalog headers: type and version are in the envelope (traceparent only inside an active span).
    for (const r of rows) expect(Object.keys(r.headers).filter((k) => k !== 'x-extra' && k !== 'traceparent' && k !== 'tracestate')).toEqual([]);
    expect(JSON.parse(rows[0].value)).toEqual(e);
    expect(rows.slice(1).map((r) => JSON.parse(r.value).data.n)).toEqual([3, 4, 5]);
    await expect(inTx((tx) => outbox.enqueue(tx, Ping, { key: '', n: -1 }, { tenantId: 't' }))).rejects.toThrow(/invalid Ping v1 payload/);
  });

  it('relays in order and deletes only what Kafka acked; a failed send keeps the rows with the error', async () => {
    const outbox = new Outbox({ pool, schema: 'evt', bus, logger: silentLogger, batchSize: 3 });
    expect(await outbox.relayOnce()).toBe(3);
    expect(await outbox.relayOnce()).toBe(1);
    expect(await outbox.relayOnce()).toBe(0);
    expect(await pending()).toBe(0);
    await waitFor(() => received.filter((r) => r.data.n >= 2).length >= 4);
    expect(received.filter((r) => r.data.key === 'b').map((r) => r.data.n)).toEqual([3, 4, 5]);

    // A producer that cannot send (closed here: real, not mocked): the rows stay, with the attempt and the error.
    const closed = testBus(ns, undefined, 'outbox-closed');
    await closed.start();
    await closed.disconnect();
    const failing = new Outbox({ pool, schema: 'evt', bus: closed, logger: silentLogger });
    await inTx((tx) => failing.enqueue(tx, Ping, { key: 'c', n: 6 }, { tenantId: 't' }));
    await expect(failing.relayOnce()).rejects.toThrow(/producer is disconnected/);
    const { rows } = await pool.query('SELECT attempts, last_error FROM evt.outbox');
    expect(rows).toEqual([{ attempts: 1, last_error: expect.stringMatching(/producer is disconnected/) }]);
    expect(await outbox.relayOnce()).toBe(1);
    expect(await pending()).toBe(0);
  });

  it('one relay per schema at a time: while another holds the lock, a relay pass sends nothing', async () => {
    const outbox = new Outbox({ pool, schema: 'evt', bus, logger: silentLogger });
    await inTx((tx) => outbox.enqueue(tx, Ping, { key: 'd', n: 7 }, { tenantId: 't' }));
    const holder = await pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['vigil_outbox_evt']);
      expect(await outbox.relayOnce()).toBe(0);
      expect(await outbox.relayOnce({ waitForLockMs: 100 })).toBe(0); // waited, then gave up
      expect(await pending()).toBe(1);
    } finally {
      await holder.query('COMMIT');
      holder.release();
    }
    expect(await outbox.relayOnce({ waitForLockMs: 1_000 })).toBe(1);
  });

  it('a running relay is woken by the commit (NOTIFY), not by its poll', async () => {
    const outbox = new Outbox({ pool, schema: 'evt', bus, logger: silentLogger, pollMs: 60_000 });
    await outbox.start();
    try {
      const e = await inTx((tx) => outbox.enqueue(tx, Ping, { key: 'e', n: 8 }, { tenantId: 't' }));
      await waitFor(() => received.some((r) => r.id === e.id), 20_000);
      // The row is deleted once the send was acked; the consumer may see the event a moment before that commit.
      await waitFor(async () => (await pending()) === 0, 5_000);
    } finally {
      await outbox.stop();
    }
  });

  it('enqueueManyStatement: the rows as one statement of inlined literals, sent with COMMIT in one query; the commit wakes the relay', async () => {
    const outbox = new Outbox({ pool, schema: 'evt', bus, logger: silentLogger, pollMs: 60_000 });
    await outbox.start();
    const tx = await pool.connect();
    try {
      await tx.query('BEGIN');
      // Quotes, a backslash and non-ASCII text survive the inlining.
      const keys = [`it's \\ "quoted"`, 'ünïcødé ✓'];
      const { envelopes, sql } = outbox.enqueueManyStatement(tx, Ping, keys.map((key, i) => ({ data: { key, n: 20 + i }, opts: { tenantId: 't', headers: { 'x-extra': `'${i}'` } } })));
      expect(() => outbox.enqueueManyStatement(tx, Ping, [{ data: { key: '', n: -1 }, opts: { tenantId: 't' } }])).toThrow(/invalid Ping v1 payload/);
      await tx.query(`SELECT 1; ${sql}; COMMIT`);
      await waitFor(() => envelopes.every((e) => received.some((r) => r.id === e.id)), 20_000);
      const got = envelopes.map((e) => received.find((r) => r.id === e.id)!);
      expect(got.map((r) => r.data)).toEqual(keys.map((key, i) => ({ key, n: 20 + i })));
      expect(got).toEqual(envelopes);
      await waitFor(async () => (await pending()) === 0, 5_000);
    } finally {
      tx.release();
      await outbox.stop();
    }
  });
});
