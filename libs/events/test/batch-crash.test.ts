// subscribeBatch: a consumer process killed with SIGKILL mid-batch and restarted: every event has
// its effect exactly once (the effects table has no unique key; only the inbox dedupes).
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type pg from 'pg';
import { createTestDatabase, dbUrl, dropTestDatabase, Ping, testBus, uniqueName } from './fixtures/harness.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const dbName = uniqueName('evt_bcrash');
const ns = dbName.replace(/_/g, '-');
const TOTAL = 400;
const KEYS = 7;
let pool: pg.Pool;
const producer = testBus(ns);

function startConsumer(): Promise<ChildProcess> {
  const child = fork(path.join(here, 'fixtures/counting-consumer.ts'), {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, TEST_DATABASE_URL: dbUrl(dbName), TEST_NAMESPACE: ns, TEST_BATCH: '1' },
    stdio: 'inherit',
  });
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`consumer exited early (${code})`)));
  });
}

const count = async (sql: string) => Number((await pool.query(sql)).rows[0].n);

beforeAll(async () => {
  pool = await createTestDatabase(dbName);
  await producer.ensureTopics([Ping]);
});

afterAll(async () => {
  await producer.stop();
  await pool.end();
  await dropTestDatabase(dbName);
});

it('batches: SIGKILL mid-batch, restart: each event applied exactly once', async () => {
  for (let i = 0; i < TOTAL; i += 50) {
    await Promise.all(Array.from({ length: 50 }, (_, j) => producer.publish(Ping, { key: `k${(i + j) % KEYS}`, n: i + j }, { tenantId: 't' })));
  }
  const first = await startConsumer();
  const deadline = Date.now() + 60_000;
  while ((await count('SELECT count(*) AS n FROM evt.effects')) < 60) {
    if (Date.now() > deadline) throw new Error('consumer made no progress');
    await new Promise((r) => setTimeout(r, 20));
  }
  first.kill('SIGKILL');
  await new Promise((r) => first.once('exit', r));
  const atKill = await count('SELECT count(*) AS n FROM evt.effects');
  expect(atKill).toBeLessThan(TOTAL); // killed mid-stream

  const second = await startConsumer();
  try {
    const end = Date.now() + 90_000;
    while ((await count(`SELECT count(DISTINCT n) AS n FROM evt.effects WHERE n < ${TOTAL}`)) < TOTAL) {
      if (Date.now() > end) throw new Error('not all events were processed after restart');
      await new Promise((r) => setTimeout(r, 100));
    }
    // Positive signal before asserting that no duplicate effect happened: a marker event on every
    // key, published now. A partition is consumed in order, so once every marker has its effect, any
    // redelivery of the earlier events (they come first, from the last committed offset) has been handled.
    const markers = Array.from({ length: KEYS }, (_, k) => ({ key: `k${k}`, n: TOTAL + k }));
    await Promise.all(markers.map((m) => producer.publish(Ping, m, { tenantId: 't' })));
    while ((await count(`SELECT count(DISTINCT n) AS n FROM evt.effects WHERE n >= ${TOTAL}`)) < KEYS) {
      if (Date.now() > end) throw new Error('the marker events were not processed');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await count(`SELECT count(*) AS n FROM evt.effects WHERE n < ${TOTAL}`)).toBe(TOTAL);
    expect(await count(`SELECT count(DISTINCT event_id) AS n FROM evt.effects WHERE n < ${TOTAL}`)).toBe(TOTAL);
  } finally {
    second.kill('SIGTERM');
  }
});
