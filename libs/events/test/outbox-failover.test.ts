// Outbox relay failover with two replicas: the relay holding the schema's lock is SIGKILLed mid-pass, the
// other takes over, and every committed row reaches Kafka (at least once; consumers dedupe by event id).
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type pg from 'pg';
import { Outbox, type EventBus } from '../src/index.js';
import { createTestDatabase, dbUrl, dropTestDatabase, Ping, silentLogger, testBus, uniqueName } from './fixtures/harness.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const dbName = uniqueName('evt_relay_failover');
const ns = dbName.replace(/_/g, '-');
const TOTAL = 3_000;
let pool: pg.Pool;
let writer: EventBus;
let reader: EventBus;
const children: ChildProcess[] = [];
const received = new Map<string, number>(); // event id → deliveries
let lastReceivedAt = 0;

function startRelay(name: string): Promise<ChildProcess> {
  const child = fork(path.join(here, 'fixtures/outbox-relay.ts'), {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, TEST_DATABASE_URL: dbUrl(dbName), TEST_NAMESPACE: ns, TEST_APP_NAME: name },
    stdio: 'inherit',
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`${name} exited early (${code})`)));
  });
}

/** The application_name of the session holding the outbox's advisory lock right now, if any. */
async function lockHolder(): Promise<string | undefined> {
  const { rows } = await pool.query<{ app: string }>(
    `SELECT a.application_name AS app FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND a.datname = current_database()`,
  );
  return rows[0]?.app;
}

const pending = async () => Number((await pool.query('SELECT count(*) AS n FROM evt.outbox')).rows[0].n);

beforeAll(async () => {
  pool = await createTestDatabase(dbName);
  writer = testBus(ns, undefined, 'relay-failover-writer');
  await writer.ensureTopics([Ping]);
  reader = testBus(ns, undefined, 'relay-failover-reader');
  reader.subscribe(
    Ping,
    async (e) => {
      received.set(e.id, (received.get(e.id) ?? 0) + 1);
      lastReceivedAt = Date.now();
    },
    { fromBeginning: true },
  );
  await reader.start();
}, 60_000);

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await reader?.stop();
  await writer?.stop();
  await pool?.end();
  await dropTestDatabase(dbName);
});

it('the relay holding the lock is SIGKILLed mid-pass; the other replica relays every committed row', async () => {
  const relayA = await startRelay('relay-a');
  await startRelay('relay-b');
  // The writer only enqueues (its own relay is never started): rows committed in transactions of 25.
  const outbox = new Outbox({ pool, schema: 'evt', bus: writer, logger: silentLogger });
  const ids: string[] = [];
  let writing = true;
  const writes = (async () => {
    for (let i = 0; i < TOTAL; i += 25) {
      const tx = await pool.connect();
      try {
        await tx.query('BEGIN');
        const items = Array.from({ length: 25 }, (_, j) => ({ data: { key: `k${(i + j) % 5}`, n: i + j }, opts: { tenantId: 't' } }));
        const envelopes = await outbox.enqueueMany(tx, Ping, items);
        await tx.query('COMMIT');
        ids.push(...envelopes.map((e) => e.id));
      } finally {
        tx.release();
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    writing = false;
  })();

  // Relaying has begun, then relay-a is caught holding the lock (inside a pass) and killed there.
  const deadline = Date.now() + 60_000;
  while (received.size < 200) {
    if (Date.now() > deadline) throw new Error('the relays sent nothing');
    await new Promise((r) => setTimeout(r, 20));
  }
  while ((await lockHolder()) !== 'relay-a') {
    if (Date.now() > deadline || !writing) throw new Error('relay-a was never seen holding the lock');
  }
  relayA.kill('SIGKILL');
  const killedAt = Date.now();
  await new Promise((r) => relayA.once('exit', r));
  const receivedAtKill = received.size;
  expect(receivedAtKill).toBeLessThan(TOTAL);

  await writes;
  while ((await pending()) > 0 || ids.some((id) => !received.has(id))) {
    if (Date.now() > deadline + 30_000) throw new Error(`after the kill: ${await pending()} rows still pending, ${ids.filter((id) => !received.has(id)).length} not received`);
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(ids).toHaveLength(TOTAL);
  for (const id of ids) expect(received.get(id)).toBeGreaterThanOrEqual(1);
  // relay-b took over: rows kept arriving after the kill, and no row is left behind.
  expect(lastReceivedAt).toBeGreaterThan(killedAt);
  expect(received.size).toBeGreaterThan(receivedAtKill);
  expect(await pending()).toBe(0);
  const redelivered = [...received.values()].filter((n) => n > 1).length;
  console.log(`outbox failover: ${TOTAL} rows, ${receivedAtKill} received at the kill, ${redelivered} sent twice (the killed pass's, at least once)`);
}, 150_000);
