// The live stream's fan-out: every bus event goes to the open streams of its tenant only, and
// into that tenant's bounded replay buffer so a reconnect with Last-Event-ID misses nothing.
import type { Envelope } from '@vigil/events';

export interface StreamEvent {
  id: number;
  type: string;
  /** The envelope as JSON (one line). */
  data: string;
}

export type StreamListener = (event: StreamEvent) => void;

export class StreamHub {
  // Ids grow across restarts too (they start from the clock), so an id from before a restart is never "ahead".
  private lastId = Date.now() * 1000;
  private readonly buffers = new Map<string, StreamEvent[]>();
  private readonly listeners = new Map<string, Set<StreamListener>>();

  constructor(private readonly replaySize: number) {}

  publish(envelope: Envelope): void {
    const event: StreamEvent = { id: ++this.lastId, type: envelope.type, data: JSON.stringify(envelope) };
    const tenant = envelope.tenantId;
    if (this.replaySize > 0) {
      const buffer = this.buffers.get(tenant) ?? [];
      buffer.push(event);
      if (buffer.length > this.replaySize) buffer.splice(0, buffer.length - this.replaySize);
      this.buffers.set(tenant, buffer);
    }
    for (const listener of this.listeners.get(tenant) ?? []) listener(event);
  }

  /**
   * Adds a listener for one tenant. With `afterId`, the buffered events after it are delivered
   * first (an id not from this instance's range — larger than any it issued — replays nothing).
   */
  subscribe(tenant: string, listener: StreamListener, afterId?: number): () => void {
    if (afterId !== undefined && afterId <= this.lastId) {
      for (const e of this.buffers.get(tenant) ?? []) if (e.id > afterId) listener(e);
    }
    const set = this.listeners.get(tenant) ?? new Set();
    set.add(listener);
    this.listeners.set(tenant, set);
    return () => {
      set.delete(listener);
      if (!set.size) this.listeners.delete(tenant);
    };
  }

  get connections(): number {
    let n = 0;
    for (const s of this.listeners.values()) n += s.size;
    return n;
  }
}
