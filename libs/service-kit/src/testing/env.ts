// Per-file test environments: every test file gets its own database (empty, or cloned from a
// migrated template) and its own Kafka namespace, so files run in parallel against the one
// real PostgreSQL and broker without sharing state.
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { createApiKey } from '../auth.js';
import { createPool } from '../db/pool.js';
import type { Role } from '../db/api-keys.js';

export const BASE_DB = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/vigil';
export const TEST_BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';

export interface TestEnv {
  /** Env for loadConfig: a fresh database and Kafka namespace. */
  env: Record<string, string>;
  databaseUrl: string;
  namespace: string;
  /** Creates an API key in this test database. */
  apiKey(tenantId: string, role?: Role): Promise<string>;
  /** Drops the database and deletes the namespace's topics. */
  cleanup(): Promise<void>;
}

export interface TestEnvOptions {
  /** Create the database now as a copy of this template database (see testTemplate). */
  template?: string;
}

export function databaseUrl(name: string, base = BASE_DB): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs `fn` on a client of the server's `postgres` database (CREATE/DROP DATABASE, cluster-wide locks). */
export async function onServer<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl('postgres'), application_name: 'vigil-test-admin' });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** CREATE DATABASE … TEMPLATE …, retried while the template is briefly in use. */
export async function cloneDatabase(template: string, name: string): Promise<void> {
  await onServer(async (c) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await c.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(template)}`);
        return;
      } catch (err) {
        // 55006: "source database is being accessed by other users" (someone still connected to it)
        if ((err as { code?: string }).code !== '55006' || attempt >= 20) throw err;
        await new Promise((r) => setTimeout(r, 100 * attempt));
      }
    }
  });
}

export async function dropDatabase(name: string): Promise<void> {
  await onServer((c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
}

export async function createTestEnv(label: string, options: TestEnvOptions = {}): Promise<TestEnv> {
  const id = `${label.toLowerCase().replace(/[^a-z0-9]/g, '')}_${randomBytes(4).toString('hex')}`;
  const dbName = `vigil_t_${id}`;
  const url = databaseUrl(dbName);
  const namespace = `t-${id.replace(/_/g, '-')}`;
  if (options.template) await cloneDatabase(options.template, dbName);
  let keyPool: pg.Pool | undefined;
  return {
    databaseUrl: url,
    namespace,
    env: {
      DATABASE_URL: url,
      KAFKA_NAMESPACE: namespace,
      KAFKA_BROKERS: TEST_BROKERS,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      KAFKA_TOPIC_PARTITIONS: '1',
      // Test files boot up to six apps each, three files at a time, against one PostgreSQL with
      // max_connections = 100: small pools keep a full run well inside that.
      DATABASE_POOL_MAX: '5',
      PORT: '0',
    },
    async apiKey(tenantId, role = 'admin') {
      keyPool ??= createPool(url, 2);
      return createApiKey(keyPool, tenantId, role, 'test');
    },
    async cleanup() {
      await keyPool?.end();
      await deleteNamespaceTopics(namespace);
      await dropDatabase(dbName);
    },
  };
}

/** Deletes the Kafka topics of a test namespace so that test runs do not pile up partitions on the broker. */
export async function deleteNamespaceTopics(namespace: string, brokers = TEST_BROKERS): Promise<void> {
  const admin = new Kafka({ clientId: 'test-cleanup', brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
  try {
    await admin.connect();
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${namespace}.`));
    if (topics.length) await admin.deleteTopics({ topics, timeout: 30_000 });
  } catch {
    // best effort: a broker a test has stopped, or one already gone
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Polls `fn` until it returns a truthy value or the timeout passes. */
export async function eventually<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs = 20_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
