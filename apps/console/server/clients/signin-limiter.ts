// Failed sign-ins counted per account and per client IP in Redis, over a fixed window.
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { rateLimitUnavailable, signInRateLimited } from '../errors.js';

export interface LimiterOptions {
  prefix: string;
  maxPerAccount: number;
  maxPerIp: number;
  windowSeconds: number;
}

const digest = (s: string) => createHash('sha256').update(s).digest('base64url').slice(0, 22);

export class SignInLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly o: LimiterOptions,
  ) {}

  private keys(email: string, ip: string) {
    // Hashed: Redis holds no email addresses.
    return { account: `${this.o.prefix}signin:acct:${digest(email.toLowerCase())}`, ip: `${this.o.prefix}signin:ip:${digest(ip)}` };
  }

  /** Throws 429 when either counter is at its limit. */
  async check(email: string, ip: string): Promise<void> {
    const k = this.keys(email, ip);
    const [account, byIp, accountTtl, ipTtl] = await this.call(() =>
      this.redis.multi().get(k.account).get(k.ip).ttl(k.account).ttl(k.ip).exec(),
    ).then((res) => (res ?? []).map(([err, v]) => (err ? null : v)));
    const retry = (ttl: unknown) => Math.max(1, Number(ttl) > 0 ? Number(ttl) : this.o.windowSeconds);
    if (Number(account ?? 0) >= this.o.maxPerAccount) throw signInRateLimited('account', retry(accountTtl));
    if (Number(byIp ?? 0) >= this.o.maxPerIp) throw signInRateLimited('ip', retry(ipTtl));
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    const k = this.keys(email, ip);
    const w = this.o.windowSeconds;
    await this.call(() => this.redis.multi().incr(k.account).expire(k.account, w, 'NX').incr(k.ip).expire(k.ip, w, 'NX').exec());
  }

  async recordSuccess(email: string, ip: string): Promise<void> {
    await this.call(() => this.redis.del(this.keys(email, ip).account));
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch {
      // Fail closed: without the limiter, sign-in would be open to guessing.
      throw rateLimitUnavailable();
    }
  }
}
