// How a failed send is retried: exponential backoff, Retry-After, per-target pacing.
export type SendResult =
  | { kind: 'delivered'; status: number }
  | { kind: 'retry'; status?: number; error: string; retryAfterMs?: number }
  | { kind: 'permanent'; status: number; error: string };

export function classify(status: number, retryAfterHeader: string | undefined, now: Date): SendResult {
  if (status >= 200 && status < 300) return { kind: 'delivered', status };
  if (status === 429 || status === 408 || status >= 500) {
    return { kind: 'retry', status, error: `HTTP ${status}`, retryAfterMs: parseRetryAfter(retryAfterHeader, now) };
  }
  return { kind: 'permanent', status, error: `HTTP ${status}` };
}

/** Retry-After as delay-seconds or an HTTP date (RFC 9110 §10.2.3); capped at one hour. */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed) * 1000, 3_600_000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.min(Math.max(0, at - now.getTime()), 3_600_000);
}

export function backoffMs(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp * (0.9 + 0.2 * random()));
}

/** Minimum spacing between sends to one target: Slack ~1/s per webhook, PagerDuty 120/min per routing key. */
export function paceMs(kind: string): number {
  return kind === 'slack' ? 1000 : kind === 'pagerduty' ? 500 : 0;
}
