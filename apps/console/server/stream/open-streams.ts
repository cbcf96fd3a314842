// The streams open on this instance, by session: one SessionEnded listener closes the streams of
// the sessions that ended (a listener per stream piled up on the emitter with ~100 streams).
import type { SessionEnded } from '../operations/deps.js';

export type CloseStream = (reason?: string) => void;

export class OpenStreams {
  private readonly bySession = new Map<string, Set<CloseStream>>();

  constructor(sessionEnded: SessionEnded) {
    sessionEnded.on('ended', (ids) => {
      for (const id of ids) for (const close of [...(this.bySession.get(id) ?? [])]) close('session ended');
    });
  }

  /** Registers a stream of a session; the returned function forgets it. */
  add(sessionId: string, close: CloseStream): () => void {
    const set = this.bySession.get(sessionId) ?? new Set();
    set.add(close);
    this.bySession.set(sessionId, set);
    return () => {
      set.delete(close);
      if (!set.size && this.bySession.get(sessionId) === set) this.bySession.delete(sessionId);
    };
  }

  /** Ends every open stream (server shutdown: open streams would keep it from closing). */
  closeAll(): void {
    for (const set of [...this.bySession.values()]) for (const close of [...set]) close();
  }

  get size(): number {
    let n = 0;
    for (const s of this.bySession.values()) n += s.size;
    return n;
  }
}
