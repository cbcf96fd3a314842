import { describe, expect, it } from 'vitest';
import { isStale, type LiveState } from './live-state';

const base: LiveState = { live: true, status: 'open', lastSignalAt: 1_000_000, heartbeatMs: 10_000, refreshMs: 30_000 };

describe('stale-data warning', () => {
  it('appears after more than two heartbeats of silence', () => {
    expect(isStale(base, 1_000_000 + 20_000)).toBe(false);
    expect(isStale(base, 1_000_000 + 20_001)).toBe(true);
  });
  it('follows the heartbeat the server announced', () => {
    expect(isStale({ ...base, heartbeatMs: 30_000 }, 1_000_000 + 50_000)).toBe(false);
  });
  it('does not appear while paused', () => {
    expect(isStale({ ...base, live: false }, 1_000_000 + 600_000)).toBe(false);
  });
});
