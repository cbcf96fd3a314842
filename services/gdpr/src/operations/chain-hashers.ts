// Worker threads that check audit-chain pages (src/domain/chain-page.mjs), so hashing runs
// beside the main thread reading the next pages from PostgreSQL. Started on first use, kept
// for the next verification, unref'd while idle (they never hold the process open), closed
// with the app. With size 0 pages are checked on the calling thread.
import { Worker } from 'node:worker_threads';
import { verifyChainPage, type ChainPageResult } from '../domain/chain-page.mjs';

interface Waiting {
  resolve: (r: ChainPageResult) => void;
  reject: (err: Error) => void;
  worker: Slot;
}

interface Slot {
  worker: Worker;
  pending: number;
}

const WORKER = new URL('../domain/chain-page-worker.mjs', import.meta.url);

export class ChainHashers {
  private readonly slots: Slot[] = [];
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 0;
  private closed = false;

  constructor(readonly size: number) {}

  /** Checks one page (its ArrayBuffer is transferred to a worker: do not reuse `page`). */
  check(page: Buffer, wanted: number[], o: { inThread?: boolean } = {}): Promise<ChainPageResult> {
    if (this.size <= 0 || o.inThread || this.closed) {
      try {
        return Promise.resolve(verifyChainPage(page, wanted));
      } catch (err) {
        return Promise.reject(err as Error);
      }
    }
    const slot = this.pick();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, worker: slot });
      if (slot.pending++ === 0) slot.worker.ref();
      slot.worker.postMessage({ id, buffer: page.buffer, offset: page.byteOffset, length: page.byteLength, wanted }, [page.buffer as ArrayBuffer]);
    });
  }

  /** The least busy worker; a new one while fewer than `size` run. */
  private pick(): Slot {
    const idle = this.slots.find((s) => s.pending === 0);
    if (idle) return idle;
    if (this.slots.length < this.size) return this.spawn();
    return this.slots.reduce((a, b) => (b.pending < a.pending ? b : a));
  }

  private spawn(): Slot {
    const worker = new Worker(WORKER);
    worker.unref();
    const slot: Slot = { worker, pending: 0 };
    worker.on('message', (m: { id: number; result?: ChainPageResult; error?: string }) => {
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      if (--slot.pending === 0) worker.unref();
      if (m.error !== undefined) w.reject(new Error(m.error));
      else w.resolve(m.result!);
    });
    const fail = (err: Error) => {
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      for (const [id, w] of this.waiting) {
        if (w.worker !== slot) continue;
        this.waiting.delete(id);
        w.reject(err);
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`chain hashing worker exited (${code})`)));
    this.slots.push(slot);
    return slot;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.splice(0).map((s) => s.worker.terminate()));
  }
}
