import { describe, expect, it } from 'vitest';
import { backoffMs, classify, parseRetryAfter } from './delivery-policy.js';

describe('delivery policy', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
  it('retries 429, 408 and 5xx; gives up on other 4xx', () => {
    expect(classify(429, '2', now)).toEqual({ kind: 'retry', status: 429, error: 'HTTP 429', retryAfterMs: 2000 });
    expect(classify(503, undefined, now).kind).toBe('retry');
    expect(classify(404, undefined, now).kind).toBe('permanent');
    expect(classify(204, undefined, now).kind).toBe('delivered');
  });
  it('backs off exponentially up to the cap', () => {
    expect(backoffMs(1, 1000, 60_000, () => 0.5)).toBe(1000);
    expect(backoffMs(4, 1000, 60_000, () => 0.5)).toBe(8000);
    expect(backoffMs(20, 1000, 60_000, () => 0.5)).toBe(60_000);
  });
});
