// The live stream: one EventSource on /api/stream for the signed-in shell. Each event patches or
// invalidates the query cache (server state stays there), and goes into the ticker's cached list.
import type { QueryClient, QueryKey } from '@tanstack/react-query';
import { consoleApi } from '../api/console';
import { notifyUnauthorized, setCsrfToken } from '../api/csrf';
import { isProblemError } from '../api/problem';
import { liveState, markStreamStarted, updateLiveState } from '../app/live-state';
import { sessionKey } from '../app/session';
import { patchFromStream } from './cache-patches';
import { EVENT_MEANINGS, HISTORY_KEY, STREAM_EVENT_TYPES, isRoutine, type StreamEnvelope } from './events';

export const recentEventsKey = ['stream', 'recent'] as const;
/** Routine events (metrics cycles) by type: counted, not listed. */
export const routineCountsKey = ['stream', 'routine-counts'] as const;
export type RoutineCounts = Record<string, { count: number; lastAt: number }>;
export const RECENT_LIMIT = 50;

export { drProgressKey } from './cache-patches';

export interface TickerEvent {
  streamId: string;
  envelope: StreamEnvelope;
  receivedAt: number;
}

/** Invalidations are coalesced: a burst of 200 events/s costs one refetch per key per second. */
function coalescer(client: QueryClient, everyMs = 1000) {
  const pending = new Map<string, QueryKey>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (keys: QueryKey[]) => {
    if (!keys.length) return;
    for (const k of keys) pending.set(JSON.stringify(k), k);
    timer ??= setTimeout(() => {
      timer = undefined;
      const keysNow = [...pending.values()];
      pending.clear();
      for (const k of keysNow) void client.invalidateQueries({ queryKey: k });
    }, everyMs);
  };
}

const SIGNAL_EVERY_MS = 1000;
/** How long the ticker gathers events before writing them to the cache (one write, one re-render, per beat). */
export const TICKER_EVERY_MS = 200;

/** The ticker's list and the routine counts, written into the cache once per beat however many events arrived. */
function tickerWriter(client: QueryClient) {
  let items: TickerEvent[] = [];
  let routine: Record<string, number> = {};
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    timer = undefined;
    const newest = items.reverse().slice(0, RECENT_LIMIT);
    const counted = routine;
    items = [];
    routine = {};
    if (newest.length) client.setQueryData<TickerEvent[]>(recentEventsKey, (old = []) => [...newest, ...old].slice(0, RECENT_LIMIT));
    const types = Object.keys(counted);
    if (types.length) {
      const at = Date.now();
      client.setQueryData<RoutineCounts>(routineCountsKey, (old = {}) => {
        const next = { ...old };
        for (const t of types) next[t] = { count: (old[t]?.count ?? 0) + counted[t]!, lastAt: at };
        return next;
      });
    }
  };
  const schedule = () => void (timer ??= setTimeout(flush, TICKER_EVERY_MS));
  return {
    add(item: TickerEvent) {
      items.push(item);
      schedule();
    },
    routine(type: string) {
      routine[type] = (routine[type] ?? 0) + 1;
      schedule();
    },
    stop() {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}

/**
 * The event history is written by its own consumer a moment after the stream delivers the event: its queries
 * are invalidated on a slower beat, which leaves it that moment and costs a busy bus one timeline read per beat.
 */
export const HISTORY_COALESCE_MS = 3000;
const isHistoryKey = (k: QueryKey) => k[0] === HISTORY_KEY[0] && k[1] === HISTORY_KEY[1];

export function connectStream(client: QueryClient, url = '/api/stream'): () => void {
  const invalidateNow = coalescer(client);
  const invalidateHistory = coalescer(client, HISTORY_COALESCE_MS);
  const invalidate = (keys: QueryKey[]) => {
    invalidateNow(keys.filter((k) => !isHistoryKey(k)));
    invalidateHistory(keys.filter(isHistoryKey));
  };
  markStreamStarted();
  updateLiveState({ status: 'connecting' });
  let source: EventSource | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let stopped = false;
  /** Where a reconnect we make ourselves resumes (the browser's own reconnects send Last-Event-ID). */
  let lastEventId: string | undefined;

  const signal = () => {
    failures = 0;
    // At most once a second: every reader of the live state re-renders on an update, and a busy bus sends
    // hundreds of events a second (staleness is judged in heartbeats of 10 s).
    const now = Date.now();
    const { status, lastSignalAt } = liveState();
    if (status !== 'open' || lastSignalAt === undefined || now - lastSignalAt >= SIGNAL_EVERY_MS) updateLiveState({ lastSignalAt: now, status: 'open' });
  };
  const ticker = tickerWriter(client);

  const onHeartbeat = (m: MessageEvent<string>) => {
    try {
      const d = JSON.parse(m.data) as { intervalMs?: number };
      if (typeof d.intervalMs === 'number' && d.intervalMs > 0) updateLiveState({ heartbeatMs: d.intervalMs });
    } catch {
      // a heartbeat without data still counts
    }
    signal();
  };

  // `ready` opens every connection and says the server's heartbeat interval.
  const onReady = (m: MessageEvent<string>) => {
    try {
      const d = JSON.parse(m.data) as { heartbeatMs?: number };
      if (typeof d.heartbeatMs === 'number' && d.heartbeatMs > 0) updateLiveState({ heartbeatMs: d.heartbeatMs });
    } catch {
      // no interval: keep the one we have
    }
    signal();
  };

  // The server ends the stream when the session changes or ends (sign-out elsewhere, disable, expiry): ask
  // whether it still exists — gone → sign-in; still there (e.g. a new CSRF token) → take it and reconnect.
  const onSessionEnded = async () => {
    source?.close();
    updateLiveState({ status: 'connecting' });
    try {
      const session = await consoleApi.session();
      setCsrfToken(session.csrfToken);
      client.setQueryData(sessionKey, session);
      failures++;
      open();
    } catch (e) {
      if (isProblemError(e) && e.status === 401) {
        stopped = true;
        notifyUnauthorized();
      } else {
        failures++;
        retry = setTimeout(open, 5000);
      }
    }
  };

  const onEvent = (m: MessageEvent<string>) => {
    signal();
    if (m.lastEventId) lastEventId = m.lastEventId;
    let envelope: StreamEnvelope;
    try {
      envelope = JSON.parse(m.data) as StreamEnvelope;
    } catch {
      return;
    }
    const meaning = EVENT_MEANINGS[envelope.type];
    patchFromStream(client, envelope);
    if (meaning?.invalidates.length) invalidate(meaning.invalidates);
    if (isRoutine(envelope.type)) return ticker.routine(envelope.type);
    ticker.add({ streamId: m.lastEventId || envelope.id, envelope, receivedAt: Date.now() });
  };

  const open = () => {
    if (stopped) return;
    const es = new EventSource(lastEventId ? `${url}?lastEventId=${encodeURIComponent(lastEventId)}` : url, { withCredentials: true });
    source = es;
    es.onopen = () => {
      updateLiveState({ status: 'open' });
      // What changed while disconnected is not replayed beyond the server's buffer: re-read after a gap.
      if (failures > 0) void client.invalidateQueries();
    };
    es.onerror = () => {
      if (es.readyState !== EventSource.CLOSED) return updateLiveState({ status: 'connecting' });
      // The browser gives up on a non-200 answer (e.g. 401, 502): retry ourselves, backing off to a minute.
      updateLiveState({ status: 'broken' });
      failures++;
      retry = setTimeout(open, Math.min(60_000, 1000 * 2 ** Math.min(failures, 6)));
    };
    es.addEventListener('ready', onReady as EventListener);
    es.addEventListener('heartbeat', onHeartbeat as EventListener);
    es.addEventListener('session-ended', () => void onSessionEnded());
    for (const type of STREAM_EVENT_TYPES) es.addEventListener(type, onEvent as EventListener);
    es.onmessage = onEvent; // unnamed events, should the server send any
  };
  open();

  return () => {
    stopped = true;
    ticker.stop();
    if (retry) clearTimeout(retry);
    source?.close();
    updateLiveState({ status: 'paused' });
  };
}
