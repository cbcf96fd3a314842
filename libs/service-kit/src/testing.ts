// Test fixtures: every test file gets its own database and its own Kafka namespace,
// so files run in parallel against the one real PostgreSQL and broker without sharing state.
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { createApiKey } from './auth.js';
import { createPool } from './db/pool.js';
import type { Role } from './db/api-keys.js';

const BASE_DB = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/vigil';

export interface TestEnv {
  /** Env for loadConfig: a fresh database and Kafka namespace. */
  env: Record<string, string>;
  databaseUrl: string;
  namespace: string;
  /** Creates an API key in this test database. */
  apiKey(tenantId: string, role?: Role): Promise<string>;
  /** Drops the database. */
  cleanup(): Promise<void>;
}

export async function createTestEnv(label: string): Promise<TestEnv> {
  const id = `${label.replace(/[^a-z0-9]/g, '')}_${randomBytes(4).toString('hex')}`;
  const dbName = `vigil_t_${id}`;
  const url = new URL(BASE_DB);
  url.pathname = `/${dbName}`;
  const databaseUrl = url.toString();
  const namespace = `t-${id.replace(/_/g, '-')}`;
  let keyPool: pg.Pool | undefined;
  return {
    databaseUrl,
    namespace,
    env: {
      DATABASE_URL: databaseUrl,
      KAFKA_NAMESPACE: namespace,
      KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      KAFKA_TOPIC_PARTITIONS: '1',
      PORT: '0',
    },
    async apiKey(tenantId, role = 'admin') {
      keyPool ??= createPool(databaseUrl, 2);
      return createApiKey(keyPool, tenantId, role, 'test');
    },
    async cleanup() {
      await keyPool?.end();
      await deleteNamespaceTopics(namespace);
      const admin = new URL(BASE_DB);
      admin.pathname = '/postgres';
      const client = new pg.Client({ connectionString: admin.toString() });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Deletes the Kafka topics of a test namespace so that test runs do not pile up partitions on the broker. */
export async function deleteNamespaceTopics(namespace: string, brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092'): Promise<void> {
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

export interface DedicatedKafka {
  brokers: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stops the broker and deletes its data. */
  destroy(): Promise<void>;
}

/**
 * A second, private single-node broker (same infra/kafka script, another port and data
 * folder) for tests that stop and restart Kafka without disturbing the shared one.
 */
export function dedicatedKafka(port: number): DedicatedKafka {
  const script = new URL('../../../infra/kafka/kafka.sh', import.meta.url).pathname;
  const data = new URL(`../../../infra/kafka/.data-test-${port}`, import.meta.url).pathname;
  const env = { ...process.env, KAFKA_LOCAL_PORT: String(port), KAFKA_LOCAL_CONTROLLER_PORT: String(port + 1), KAFKA_LOCAL_DATA: data, KAFKA_LOCAL_HEAP: '384m' };
  const run = async (cmd: string) => {
    const { execFile } = await import('node:child_process');
    await new Promise<void>((resolve, reject) =>
      execFile('bash', [script, cmd], { env }, (err, _out, stderr) => (err ? reject(new Error(`kafka.sh ${cmd} failed: ${stderr}`)) : resolve())),
    );
  };
  return {
    brokers: `127.0.0.1:${port}`,
    start: () => run('start'),
    stop: () => run('stop'),
    destroy: () => run('reset'),
  };
}

// The span processor classes that match the kit's tracer provider (tests collect spans with them).
export { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
