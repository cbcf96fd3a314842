// Quotas as token buckets in Redis, per project and per DSN key, checked together in one
// Lua script so that a refused event takes a token from neither bucket.
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

export class RateLimiter {
  constructor(private readonly o: RateLimiterOptions) {
    o.redis.defineCommand('vigilTokenBuckets', { lua: SCRIPT });
  }

  /** Ms to wait before retrying, or 0 when admitted. A Redis outage admits (ingest is worth more than quotas). */
  async take(quotas: Quota[]): Promise<number> {
    const args: (string | number)[] = [Date.now()];
    for (const q of quotas) {
      const perMs = q.perMinute / 60_000;
      args.push(perMs, Math.max(1, (q.perMinute / 60) * this.o.burstSeconds));
    }
    try {
      const cmd = (this.o.redis as unknown as Record<string, (...a: unknown[]) => Promise<number>>).vigilTokenBuckets!;
      return Number(await cmd.call(this.o.redis, quotas.length, ...quotas.map((q) => q.key), ...args));
    } catch (err) {
      this.o.warn(err as Error);
      return 0;
    }
  }
}
