// Neither Kafka nor PostgreSQL can keep the event: ingest answers 503 with Retry-After instead of
// accepting what it cannot keep. The ingest routes run against a pool and a broker address aimed
// at closed ports (real connection failures, not mocks), beside a healthy app for Redis.
// (PostgreSQL alone stopped, Kafka up: test/postgres-outage.test.ts — ingest keeps accepting.)
import Fastify from 'fastify';
import pg from 'pg';
import { Registry } from 'prom-client';
import { describe, expect } from 'vitest';
import { EventBus } from '@vigil/events';
import { createIntakeMetrics } from '../src/metrics.js';
import { AcceptQueue } from '../src/operations/accept-queue.js';
import { EventIntake } from '../src/operations/event-intake.js';
import { Ingest } from '../src/operations/ingest.js';
import { RateLimiter } from '../src/clients/rate-limiter.js';
import { ingestRoutes } from '../src/routes/ingest.js';
import { envelopeOf, errorEvent, errorIngestTest, sentryAuth, type Fixture } from './fixtures.js';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

const it = errorIngestTest().extend<{ dead: pg.Pool; deadBus: EventBus }>({
  // A pool aimed at a closed port: a real connection failure.
  dead: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const dead = new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:1/unreachable', connectionTimeoutMillis: 2_000 });
      dead.on('error', () => undefined);
      await use(dead);
      await dead.end();
    },
    { scope: 'file' },
  ],
  // A broker address nobody listens on (a port of this suite's range): every produce fails.
  deadBus: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const bus = new EventBus({ brokers: ['127.0.0.1:29599'], service: 'dead-bus', logger: silent, registry: new Registry(), connection: { requestTimeoutMs: 500 } });
      await use(bus);
      // Its producer may still be retrying the dead address: do not wait for that.
      await Promise.race([bus.disconnect(), new Promise((r) => setTimeout(r, 2_000))]);
    },
    { scope: 'file' },
  ],
});

const limits = { maxEnvelopeBytes: 1 << 20, maxEventBytes: 1 << 20, defaultProjectPerMinute: 1e6, defaultKeyPerMinute: 1e6, keyCacheMs: 60_000, keyStaleMs: 60_000 };

async function server(f: Fixture, keyPool: pg.Pool, queuePool: pg.Pool, bus: EventBus) {
  const limiter = new RateLimiter({ redis: f.app.infra.redis, burstSeconds: 10, warn: () => undefined });
  const spool = new AcceptQueue({ pool: queuePool, outbox: f.app.infra.outbox, maxBatch: 10, maxBytes: 1 << 20 });
  const intake = new EventIntake({ bus, spool, metrics: createIntakeMetrics(new Registry(), queuePool), log: silent, deadlineMs: 300, holdMs: 1_000, maxPending: 100 });
  const ingest = new Ingest(keyPool, intake, limiter, limits);
  const app = Fastify();
  await app.register(ingestRoutes, { ingest, maxEnvelopeBytes: limits.maxEnvelopeBytes });
  return app;
}

describe('Kafka and PostgreSQL down', () => {
  it('answers 503 with Retry-After when the event cannot be made durable', async ({ f, dead, deadBus }) => {
    const app = await server(f, f.app.infra.pool, dead, deadBus);
    const res = await app.inject({ method: 'POST', url: f.project.dsnPath, headers: sentryAuth(f.project.publicKey), payload: envelopeOf(errorEvent()) });
    expect(res.statusCode, res.body).toBe(503);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.headers['x-sentry-error']).toMatch(/unavailable/);
    await app.close();
  });

  it('answers 503 (not 403) when DSN keys cannot be looked up, and the process keeps serving', async ({ f, dead, deadBus }) => {
    const app = await server(f, dead, dead, deadBus);
    const res = await app.inject({ method: 'POST', url: f.project.dsnPath, headers: sentryAuth(f.project.publicKey), payload: envelopeOf(errorEvent()) });
    expect(res.statusCode, res.body).toBe(503);
    expect((await app.inject({ method: 'POST', url: f.project.dsnPath, payload: '' })).statusCode).toBe(400);
    await app.close();
  });
});
