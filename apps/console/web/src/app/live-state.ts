// Client state of the live stream (not server state): live or paused, connection status, the last
// signal, the refresh interval. Components read it with useLiveState(); queries poll with refetchInterval().
import { useSyncExternalStore } from 'react';

export type StreamStatus = 'connecting' | 'open' | 'broken' | 'paused';

export interface LiveState {
  live: boolean;
  status: StreamStatus;
  /** ms epoch of the last event or heartbeat. */
  lastSignalAt: number | undefined;
  /** The server's heartbeat interval: from the heartbeat itself if it says, else the default. */
  heartbeatMs: number;
  /** From the user's preference; 0 = no polling (the stream still updates). */
  refreshMs: number;
}

export const DEFAULT_HEARTBEAT_MS = 10_000;

let state: LiveState = { live: true, status: 'connecting', lastSignalAt: undefined, heartbeatMs: DEFAULT_HEARTBEAT_MS, refreshMs: 30_000 };
const listeners = new Set<() => void>();

export function updateLiveState(patch: Partial<LiveState>): void {
  state = { ...state, ...patch };
  listeners.forEach((l) => l());
}
export const liveState = (): LiveState => state;

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};
export const useLiveState = (): LiveState => useSyncExternalStore(subscribe, liveState);
/** One value of the live state (a primitive): the component re-renders when that value changes, not on every signal. */
export const useLiveValue = <T extends string | number | boolean | undefined>(pick: (s: LiveState) => T): T => useSyncExternalStore(subscribe, () => pick(state));

/** Default refetchInterval of every query: the preference while live, never while paused. */
export const refetchInterval = (): number | false => (state.live && state.refreshMs > 0 ? state.refreshMs : false);

/** Stale when live and nothing (not even a heartbeat) arrived for more than two heartbeats. */
export function isStale(s: LiveState, now: number): boolean {
  if (!s.live) return false;
  const since = s.lastSignalAt ?? streamStartedAt;
  return now - since > 2 * s.heartbeatMs;
}
let streamStartedAt = Date.now();
export const markStreamStarted = (): void => {
  streamStartedAt = Date.now();
};
