// PostgreSQL unreachable: ingest answers 503 with Retry-After instead of accepting what it
// cannot keep. The ingest routes run against a pool aimed at a closed port (a real
// connection failure, not a mock), beside a healthy app for the outbox and Redis.
import Fastify from 'fastify';
import pg from 'pg';
import { describe, expect } from 'vitest';
import { AcceptQueue } from '../src/operations/accept-queue.js';
import { Ingest } from '../src/operations/ingest.js';
import { RateLimiter } from '../src/clients/rate-limiter.js';
import { ingestRoutes } from '../src/routes/ingest.js';
import { envelopeOf, errorEvent, errorIngestTest, sentryAuth, type Fixture } from './fixtures.js';

const it = errorIngestTest().extend<{ dead: pg.Pool }>({
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
});

const limits = { maxEnvelopeBytes: 1 << 20, maxEventBytes: 1 << 20, defaultProjectPerMinute: 1e6, defaultKeyPerMinute: 1e6, keyCacheMs: 60_000 };

async function server(f: Fixture, keyPool: pg.Pool, queuePool: pg.Pool) {
  const limiter = new RateLimiter({ redis: f.app.infra.redis, burstSeconds: 10, warn: () => undefined });
  const ingest = new Ingest(keyPool, new AcceptQueue({ pool: queuePool, outbox: f.app.infra.outbox, maxBatch: 10, maxBytes: 1 << 20 }), limiter, limits);
  const app = Fastify();
  await app.register(ingestRoutes, { ingest, maxEnvelopeBytes: limits.maxEnvelopeBytes });
  return app;
}

describe('PostgreSQL down', () => {
  it('answers 503 with Retry-After when the event cannot be made durable', async ({ f, dead }) => {
    const app = await server(f, f.app.infra.pool, dead);
    const res = await app.inject({ method: 'POST', url: f.project.dsnPath, headers: sentryAuth(f.project.publicKey), payload: envelopeOf(errorEvent()) });
    expect(res.statusCode, res.body).toBe(503);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.headers['x-sentry-error']).toMatch(/unavailable/);
    await app.close();
  });

  it('answers 503 when DSN keys cannot be looked up, and the process keeps serving', async ({ f, dead }) => {
    const app = await server(f, dead, dead);
    const res = await app.inject({ method: 'POST', url: f.project.dsnPath, headers: sentryAuth(f.project.publicKey), payload: envelopeOf(errorEvent()) });
    expect(res.statusCode, res.body).toBe(503);
    expect((await app.inject({ method: 'POST', url: f.project.dsnPath, payload: '' })).statusCode).toBe(400);
    await app.close();
  });
});
