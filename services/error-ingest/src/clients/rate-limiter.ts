// Quotas as token buckets in Redis, per project and per DSN key, checked together in one
// Lua script so that a refused event takes a token from neither bucket. Redis unreachable: the
// same buckets are kept in this process (per instance, so N instances admit up to N× the quota)
// until Redis answers again; ingest is worth more than exact quotas.
import type { Redis } from 'ioredis';

// KEYS: bucket keys. ARGV: now_ms, then per bucket: rate_per_ms, capacity. Returns 0 if
// admitted, else the ms until one token is back in the emptiest bucket.
const SCRIPT = `
local now = tonumber(ARGV[1])
local wait = 0
local state = {}
for i, key in ipairs(KEYS) do
  local rate = tonumber(ARGV[i * 2])
  local cap = tonumber(ARGV[i * 2 + 1])
  local b = redis.call('HMGET', key, 't', 'ts')
  local tokens = tonumber(b[1]) or cap
  local ts = tonumber(b[2]) or now
  tokens = math.min(cap, tokens + math.max(0, now - ts) * rate)
  if tokens < 1 then
    local w = math.ceil((1 - tokens) / rate)
    if w > wait then wait = w end
  end
  state[i] = tokens
end
for i, key in ipairs(KEYS) do
  local rate = tonumber(ARGV[i * 2])
  local cap = tonumber(ARGV[i * 2 + 1])
  local tokens = state[i]
  if wait == 0 then tokens = tokens - 1 end
  redis.call('HSET', key, 't', tokens, 'ts', now)
  redis.call('PEXPIRE', key, math.ceil(cap / rate) + 1000)
end
return wait
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

export class RateLimiter {
  private readonly local = new Map<string, { tokens: number; ts: number }>();
  private redisDownUntil = 0;

  constructor(private readonly o: RateLimiterOptions) {
    o.redis.defineCommand('vigilTokenBuckets', { lua: SCRIPT });
  }

  /** Ms to wait before retrying, or 0 when admitted. */
  async take(quotas: Quota[]): Promise<number> {
    const now = Date.now();
    if (now < this.redisDownUntil) return this.takeLocal(quotas, now);
    const args: (string | number)[] = [now];
    for (const q of quotas) args.push(q.perMinute / 60_000, this.capacity(q));
    try {
      const cmd = (this.o.redis as unknown as Record<string, (...a: unknown[]) => Promise<number>>).vigilTokenBuckets!;
      const wait = Number(await cmd.call(this.o.redis, quotas.length, ...quotas.map((q) => q.key), ...args));
      if (this.local.size) this.local.clear();
      return wait;
    } catch (err) {
      this.o.warn(err as Error);
      this.redisDownUntil = Date.now() + REDIS_RETRY_MS;
      return this.takeLocal(quotas, now);
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
