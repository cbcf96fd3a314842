// Local infrastructure shared by `npm start`, `npm test` and the benchmarks (plain Node,
// no dependencies: it runs before `npm install`). PostgreSQL and Redis are expected to be
// running; Kafka is started from infra/kafka unless KAFKA_BROKERS points at another cluster.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const LOCAL = /^(127\.0\.0\.1|localhost|\[?::1\]?):(9092|29092|29094|29096)$/;

/** infra/kafka's profile: `single` (one broker on 9092) or `cluster` (three on 29092/29094/29096), from KAFKA_LOCAL_PROFILE. */
export function kafkaProfile() {
  return process.env.KAFKA_LOCAL_PROFILE === 'cluster' ? 'cluster' : 'single';
}

/** The local profile's broker list and the replication its topics get. */
export function localKafka() {
  return kafkaProfile() === 'cluster'
    ? { brokers: '127.0.0.1:29092,127.0.0.1:29094,127.0.0.1:29096', replicationFactor: 3, firstPort: 29092 }
    : { brokers: '127.0.0.1:9092', replicationFactor: 1, firstPort: 9092 };
}

export function kafkaIsLocal() {
  const brokers = process.env.KAFKA_BROKERS;
  return !brokers || brokers.split(',').every((b) => LOCAL.test(b.trim()));
}

export function ensureInstalled() {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  if (existsSync(marker) && existsSync(path.join(root, 'node_modules', '.bin', 'tsx'))) return;
  console.log('[vigil] installing dependencies (npm ci)');
  const lock = existsSync(path.join(root, 'package-lock.json'));
  const r = spawnSync('npm', [lock ? 'ci' : 'install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm install failed');
}

export function startKafka() {
  if (!kafkaIsLocal()) {
    console.log(`[vigil] using Kafka at ${process.env.KAFKA_BROKERS}; not starting a local broker`);
    return;
  }
  execFileSync('bash', [path.join(root, 'infra/kafka/kafka.sh'), 'start', kafkaProfile()], { stdio: 'inherit' });
}

export function stopKafka() {
  if (kafkaIsLocal()) execFileSync('bash', [path.join(root, 'infra/kafka/kafka.sh'), 'stop', kafkaProfile()], { stdio: 'inherit' });
}

export function portOpen(port, host = '127.0.0.1', timeoutMs = 1000) {
  return new Promise((resolve) => {
    const s = net.connect({ port, host });
    const done = (ok) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

/** Fails early with a clear message when PostgreSQL or Redis is not where config says. */
export async function checkDatabases() {
  const pg = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/vigil');
  const redis = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const missing = [];
  if (!(await portOpen(Number(pg.port || 5432), pg.hostname))) missing.push(`PostgreSQL at ${pg.hostname}:${pg.port || 5432}`);
  if (!(await portOpen(Number(redis.port || 6379), redis.hostname))) missing.push(`Redis at ${redis.hostname}:${redis.port || 6379}`);
  if (missing.length) throw new Error(`not reachable: ${missing.join(', ')} (set DATABASE_URL / REDIS_URL)`);
}
