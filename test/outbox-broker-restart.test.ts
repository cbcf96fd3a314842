// The transactional outbox against a broker that is stopped and restarted while the
// service keeps writing: once the broker is back, every event arrives.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type pg from 'pg';
import { dedicatedKafka } from '@vigil/service-kit/testing';
import { Outbox, type EventBus } from '@vigil/events';
import { createTestDatabase, dropTestDatabase, Ping, silentLogger, testBus, uniqueName } from '../libs/events/test/fixtures/harness.js';

const kafka = dedicatedKafka(19292);
const dbName = uniqueName('evt_outbox');
const ns = dbName.replace(/_/g, '-');
let pool: pg.Pool;
let bus: EventBus;
let outbox: Outbox;

beforeAll(async () => {
  await kafka.start();
  pool = await createTestDatabase(dbName);
  bus = testBus(ns, kafka.brokers);
  await bus.ensureTopics([Ping]);
  outbox = new Outbox({ pool, schema: 'evt', bus, logger: silentLogger, pollMs: 200 });
  await outbox.start();
}, 180_000);

afterAll(async () => {
  await outbox?.stop(1_000);
  await bus?.stop();
  await pool?.end();
  await dropTestDatabase(dbName);
  await kafka.destroy();
}, 60_000);

async function write(n: number): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('INSERT INTO evt.effects (event_id, n) VALUES (gen_random_uuid(), $1)', [n]);
    await outbox.enqueue(client, Ping, { key: `k${n % 5}`, n }, { tenantId: 't' });
    await client.query('COMMIT');
  } finally {
    client.release();
  }
}

it('loses nothing when the broker stops and restarts mid-stream', async () => {
  const TOTAL = 300;
  let n = 0;
  for (; n < 100; n++) await write(n);
  await kafka.stop();
  for (; n < 200; n++) await write(n); // accepted while Kafka is down: only PostgreSQL is needed
  const pending = Number((await pool.query('SELECT count(*) AS n FROM evt.outbox')).rows[0].n);
  expect(pending).toBeGreaterThan(0);
  await kafka.start();
  for (; n < TOTAL; n++) await write(n);

  const seen = new Set<number>();
  const reader = testBus(ns, kafka.brokers, 'outbox-reader');
  reader.subscribe(Ping, async (e) => {
    seen.add(e.data.n);
  });
  await reader.start();
  try {
    const end = Date.now() + 120_000;
    while (seen.size < TOTAL && Date.now() < end) await new Promise((r) => setTimeout(r, 200));
  } finally {
    await reader.stop();
  }
  expect(seen.size).toBe(TOTAL);
  expect(Number((await pool.query('SELECT count(*) AS n FROM evt.outbox')).rows[0].n)).toBe(0);
}, 240_000);
