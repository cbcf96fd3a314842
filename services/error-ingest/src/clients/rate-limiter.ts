// Quotas as token buckets in Redis, per project and per DSN key, checked together in one
// Lua script so that a refused event takes a token from neither bucket. Redis unreachable: the
// same buckets are kept in this process (per instance, so N instances admit up to N× the quota)
// until Redis answers again; ingest is worth more than exact quotas.
import type { Redis } from 'ioredis';

// Requests that arrive while a script call is in flight are answered together by the next call:
// one round trip (and one script run) for many requests, each still decided in order, as if alone.
// KEYS: the bucket keys of every request, in order. ARGV: now_ms, the number of requests, then per
// request: its number of buckets and, per bucket, rate_per_ms and capacity. Returns, per request, 0 if
// admitted, else the ms until one token is back in its emptiest bucket.
const SCRIPT = `
local now = tonumber(ARGV[1])
local n = tonumber(ARGV[2])
local state = {}
local waits = {}
local k = 1
local a = 3
for r = 1, n do
  local count = tonumber(ARGV[a])
  a = a + 1
  local wait = 0
  local seen = {}
  for j = 1, count do
    local key = KEYS[k]
    local rate = tonumber(ARGV[a])
    local cap = tonumber(ARGV[a + 1])
    k = k + 1
    a = a + 2
    local s = state[key]
    local tokens, ts
    if s then
      tokens = s.tokens
      ts = s.ts
    else
      local b = redis.call('HMGET', key, 't', 'ts')
      tokens = tonumber(b[1]) or cap
      ts = tonumber(b[2]) or now
    end
    tokens = math.min(cap, tokens + math.max(0, now - ts) * rate)
    if tokens < 1 then
      local w = math.ceil((1 - tokens) / rate)
      if w > wait then wait = w end
    end
    seen[j] = { key = key, tokens = tokens, rate = rate, cap = cap }
  end
  for j = 1, count do
    local b = seen[j]
    if wait == 0 then b.tokens = b.tokens - 1 end
    b.ts = now
    state[b.key] = b
  end
  waits[r] = wait
end
for key, b in pairs(state) do
  redis.call('HSET', key, 't', b.tokens, 'ts', now)
  redis.call('PEXPIRE', key, math.ceil(b.cap / b.rate) + 1000)
end
return waits
`;

export interface Quota {
  key: string;
  perMinute: number;
}

export interface RateLimiterOptions {
  redis: Redis;
  burstSeconds: number;
  warn: (err: Error) => void;
}

// After a Redis failure, the local buckets answer this long before Redis is tried again.
const REDIS_RETRY_MS = 1_000;
// Requests per script call.
const MAX_PER_CALL = 256;

interface PendingTake {
  quotas: Quota[];
  resolve: (wait: number) => void;
}

export class RateLimiter {
  private readonly local = new Map<string, { tokens: number; ts: number }>();
  private redisDownUntil = 0;
  private readonly queue: PendingTake[] = [];
  private flushing = false;

  constructor(private readonly o: RateLimiterOptions) {
    o.redis.defineCommand('vigilTokenBuckets', { lua: SCRIPT });
  }

  /** Ms to wait before retrying, or 0 when admitted. */
  take(quotas: Quota[]): Promise<number> {
    const now = Date.now();
    if (now < this.redisDownUntil) return Promise.resolve(this.takeLocal(quotas, now));
    return new Promise((resolve) => {
      this.queue.push({ quotas, resolve });
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, MAX_PER_CALL);
        const now = Date.now();
        if (now < this.redisDownUntil) {
          for (const p of batch) p.resolve(this.takeLocal(p.quotas, now));
          continue;
        }
        const keys: string[] = [];
        const args: (string | number)[] = [now, batch.length];
        for (const p of batch) {
          args.push(p.quotas.length);
          for (const q of p.quotas) {
            keys.push(q.key);
            args.push(q.perMinute / 60_000, this.capacity(q));
          }
        }
        try {
          const cmd = (this.o.redis as unknown as Record<string, (...a: unknown[]) => Promise<number[]>>).vigilTokenBuckets!;
          const waits = await cmd.call(this.o.redis, keys.length, ...keys, ...args);
          if (this.local.size) this.local.clear();
          batch.forEach((p, i) => p.resolve(Number(waits[i])));
        } catch (err) {
          this.o.warn(err as Error);
          this.redisDownUntil = Date.now() + REDIS_RETRY_MS;
          for (const p of batch) p.resolve(this.takeLocal(p.quotas, now));
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private capacity(q: Quota): number {
    return Math.max(1, (q.perMinute / 60) * this.o.burstSeconds);
  }

  /** The Lua script's rule on in-process buckets. */
  private takeLocal(quotas: Quota[], now: number): number {
    let wait = 0;
    const state = quotas.map((q) => {
      const rate = q.perMinute / 60_000;
      const cap = this.capacity(q);
      const b = this.local.get(q.key) ?? { tokens: cap, ts: now };
      const tokens = Math.min(cap, b.tokens + Math.max(0, now - b.ts) * rate);
      if (tokens < 1) wait = Math.max(wait, Math.ceil((1 - tokens) / rate));
      return { key: q.key, tokens };
    });
    if (this.local.size > 100_000) this.local.clear();
    for (const s of state) this.local.set(s.key, { tokens: wait === 0 ? s.tokens - 1 : s.tokens, ts: now });
    return wait;
  }
}
