// The token buckets in Redis under concurrency: requests arriving together are answered by one
// script call, each decided in order as if alone — a bucket admits exactly its capacity, and a
// refused request takes a token from neither of its buckets.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RateLimiter } from '../src/clients/rate-limiter.js';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: false });
afterAll(async () => {
  redis.disconnect();
});

describe('RateLimiter', () => {
  it('admits exactly the capacity of the tightest bucket among concurrent requests, in fewer script calls than requests', async () => {
    const warnings: Error[] = [];
    const limiter = new RateLimiter({ redis, burstSeconds: 10, warn: (e) => warnings.push(e) });
    // Count the script calls (the command is defined on the client by the constructor).
    const commands = redis as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
    const script = commands.vigilTokenBuckets!;
    let calls = 0;
    commands.vigilTokenBuckets = function (this: unknown, ...a: unknown[]) {
      calls++;
      return script.apply(this, a);
    };
    const id = randomBytes(4).toString('hex');
    // Project: 60/min → capacity 10, one token a second. Key: 600/min → capacity 100.
    const quotas = [
      { key: `vigil:test:rl:${id}:project`, perMinute: 60 },
      { key: `vigil:test:rl:${id}:key`, perMinute: 600 },
    ];
    try {
      const waits = await Promise.all(Array.from({ length: 25 }, () => limiter.take(quotas)));
      expect(warnings).toEqual([]);
      expect(waits.filter((w) => w === 0)).toHaveLength(10);
      expect(waits.filter((w) => w > 0).every((w) => w <= 1_000)).toBe(true);
      expect(calls).toBeGreaterThanOrEqual(1);
      expect(calls).toBeLessThan(25);
      // The 15 refused requests took nothing from the key bucket: 100 - 10 (plus under a token of refill).
      expect(Math.floor(Number(await redis.hget(quotas[1]!.key, 't')))).toBe(90);
      expect(Number(await redis.hget(quotas[0]!.key, 't'))).toBeLessThan(1);
      // Requests one after the other are decided the same way: the project bucket is empty.
      expect(await limiter.take(quotas)).toBeGreaterThan(0);
    } finally {
      commands.vigilTokenBuckets = script;
      await redis.del(quotas.map((q) => q.key));
    }
  });
});
