// Graceful shutdown of a real service process: outbox rows written just before SIGTERM are on
// Kafka before the process exits (the final flush goes through a producer that is still connected).
import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import pg from 'pg';
import { Registry } from 'prom-client';
import { EventBus } from '@vigil/events';
import { databaseTest, eventually } from '../src/testing/index.js';
import { KitPing } from './fixtures/kit-ping.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const it = databaseTest({ label: 'kitflush' });

it('rows written just before SIGTERM are on Kafka before the process exits', { timeout: 120_000 }, async ({ kit }) => {
  const child = fork(path.join(here, 'fixtures/outbox-service.ts'), { execArgv: ['--import', 'tsx'], env: { ...process.env, ...kit.env }, stdio: 'inherit' });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const db = new pg.Client({ connectionString: kit.databaseUrl });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.once('message', (m) => resolve((m as { port: number }).port));
      child.once('exit', (code) => reject(new Error(`service exited before listening (${code})`)));
    });
    await db.connect();
    // Hold the relay's lock so that the running relay cannot send the rows: only the final flush at
    // shutdown can, once the lock is released.
    await db.query('BEGIN');
    await db.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['vigil_outbox_kit_flush']);
    const res = await fetch(`http://127.0.0.1:${port}/pings?n=40`, { method: 'POST' });
    expect(res.status).toBe(201);
    const { ids } = (await res.json()) as { ids: string[] };
    const pending = async () => Number((await db.query('SELECT count(*) AS n FROM kit_flush.outbox')).rows[0].n);
    expect(await pending()).toBe(40);

    child.kill('SIGTERM');
    // Positive signal that shutdown reached the final flush: the child now waits for the relay lock.
    await eventually(async () => {
      const { rows } = await db.query(`SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`);
      return Number(rows[0].n) > 0;
    }, 30_000, 20);
    await db.query('COMMIT');
    expect(await exited).toBe(0);
    expect(await pending()).toBe(0);

    // Nothing runs any more that could send them: they were on Kafka before the process exited.
    const reader = new EventBus({ brokers: kit.env.KAFKA_BROKERS!.split(','), service: 'flush-reader', logger: quiet, registry: new Registry(), namespace: kit.namespace });
    const seen = new Set<string>();
    reader.subscribe(KitPing, async (e) => void seen.add(e.id));
    await reader.start();
    try {
      await eventually(async () => seen.size >= ids.length, 30_000);
    } finally {
      await reader.stop();
    }
    expect([...seen].sort()).toEqual([...ids].sort());
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    await db.end().catch(() => undefined);
  }
});
