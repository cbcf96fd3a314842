// COPY … TO STDOUT (FORMAT binary) read as pages of whole tuples, without a row object (or a
// JS string) per row: for streaming very large result sets (e.g. verifying an audit chain) at
// the speed PostgreSQL sends them. A page is a fresh, non-pooled Buffer, so its ArrayBuffer can
// be transferred to a worker thread. A consumer that hands pages on (e.g. to worker threads)
// returns a promise from onPage to hold the stream back until it has room (bounded memory).
import type pg from 'pg';

export interface CopyOutOptions {
  /** A page is handed over once it holds at least this many bytes of whole tuples (default 512 KiB). */
  pageBytes?: number;
}

/** Binary COPY file header: the 11-byte signature, then int32 flags and the int32 extension length. */
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/** What onPage returns: nothing, or a promise; while one is pending the socket is not read. */
export type PageResult = void | PromiseLike<unknown>;

/**
 * Runs `copySql` (a `COPY (…) TO STDOUT (FORMAT binary)` statement; COPY takes no parameters, so
 * literals must be escaped by the caller) on `client` and calls `onPage(page, tuples)` with
 * consecutive runs of whole tuples, each as PostgreSQL's binary tuple layout: int16 field count,
 * then per field an int32 length (-1 for NULL) and the bytes. Resolves with the tuple count.
 * `onPage` runs synchronously while the socket is read, so a slow consumer slows the stream
 * (TCP backpressure) instead of buffering it. If it returns a promise, the socket is paused
 * until that settles (what was already received still arrives, at most one more read); the
 * returned promise resolves once every such promise settled, and a rejected one fails the COPY
 * with its error (PostgreSQL's output is still read to the end, so the client stays usable).
 */
export function copyOutBinary(client: pg.ClientBase, copySql: string, onPage: (page: Buffer, tuples: number) => PageResult, o: CopyOutOptions = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    client.query(new CopyOutBinary(copySql, o.pageBytes ?? 512 * 1024, onPage, (err, n) => (err ? reject(err) : resolve(n))));
  });
}

class CopyOutBinary {
  private page: Buffer;
  /** Start of the current page's first tuple; end of the bytes received; end of the last whole tuple. */
  private start = 0;
  private end = 0;
  private scanned = 0;
  private tuples = 0;
  private total = 0;
  private header = true;
  private trailer = false;
  private error?: Error;
  private done = false;
  private finished = false;
  /** The connection's socket (paused while onPage's promises are pending) and how many are. */
  private stream?: { pause(): unknown; resume(): unknown };
  private holding = 0;

  constructor(
    private readonly text: string,
    private readonly pageBytes: number,
    private readonly onPage: (page: Buffer, tuples: number) => PageResult,
    private readonly callback: (err: Error | undefined, tuples: number) => void,
  ) {
    this.page = Buffer.allocUnsafeSlow(pageBytes * 2);
  }

  submit(connection: { query(text: string): void }): void {
    connection.query(this.text);
  }

  handleCopyData(msg: { chunk: Buffer }, connection?: { stream?: { pause(): unknown; resume(): unknown } }): void {
    this.stream ??= connection?.stream;
    if (this.error || this.trailer) return;
    try {
      this.append(msg.chunk);
      this.scan();
      if (this.scanned - this.start >= this.pageBytes) this.flush();
    } catch (err) {
      this.error = err as Error;
    }
  }

  private append(chunk: Buffer): void {
    if (this.end + chunk.length > this.page.length) {
      // Move the unfinished page to a buffer that fits it (pages already handed over stay untouched).
      const next = Buffer.allocUnsafeSlow(Math.max(this.pageBytes * 2, (this.end - this.start + chunk.length) * 2));
      this.page.copy(next, 0, this.start, this.end);
      this.end -= this.start;
      this.scanned -= this.start;
      this.start = 0;
      this.page = next;
    }
    chunk.copy(this.page, this.end);
    this.end += chunk.length;
  }

  /** Advances `scanned` over every whole tuple received. */
  private scan(): void {
    const b = this.page;
    if (this.header) {
      if (this.end - this.scanned < 19) return;
      if (!b.subarray(this.scanned, this.scanned + 11).equals(SIGNATURE)) throw new Error('COPY output is not in binary format');
      const ext = b.readUInt32BE(this.scanned + 15);
      if (this.end - this.scanned < 19 + ext) return;
      this.scanned += 19 + ext;
      this.start = this.scanned;
      this.header = false;
    }
    for (;;) {
      let p = this.scanned;
      if (this.end - p < 2) return;
      const fields = b.readInt16BE(p);
      p += 2;
      if (fields === -1) {
        this.trailer = true;
        return;
      }
      for (let f = 0; f < fields; f++) {
        if (this.end - p < 4) return;
        const len = b.readInt32BE(p);
        p += 4;
        if (len > 0) {
          if (this.end - p < len) return;
          p += len;
        }
      }
      this.scanned = p;
      this.tuples++;
    }
  }

  private flush(): void {
    if (this.scanned === this.start) return;
    const page = this.page.subarray(this.start, this.scanned);
    const tuples = this.tuples;
    this.total += tuples;
    this.tuples = 0;
    // The next page gets its own buffer: the one handed over may be transferred or kept.
    const rest = this.end - this.scanned;
    const next = Buffer.allocUnsafeSlow(Math.max(this.pageBytes * 2, rest * 2));
    this.page.copy(next, 0, this.scanned, this.end);
    this.page = next;
    this.start = 0;
    this.scanned = 0;
    this.end = rest;
    const held = this.onPage(page, tuples);
    if (held && typeof held.then === 'function') this.hold(held);
  }

  /** Stops reading the socket until `until` settles (and every other pending one). */
  private hold(until: PromiseLike<unknown>): void {
    if (this.holding++ === 0) this.stream?.pause();
    const release = () => {
      if (--this.holding) return;
      this.stream?.resume();
      this.settle();
    };
    until.then(release, (err: unknown) => {
      this.error ??= err instanceof Error ? err : new Error(String(err));
      release();
    });
  }

  handleCommandComplete(): void {
    if (this.error) return;
    try {
      if (!this.header && this.end > this.scanned && !this.trailer) throw new Error('COPY output ended inside a tuple');
      this.flush();
    } catch (err) {
      this.error = err as Error;
    }
  }

  handleError(err: Error): void {
    this.error ??= err;
    this.finish();
  }

  handleReadyForQuery(): void {
    this.finish();
  }

  handleEmptyQuery(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handlePortalSuspended(): void {}
  handleCopyInResponse(connection: { sendCopyFail(msg: string): void }): void {
    connection.sendCopyFail('copyOutBinary reads, it does not write');
  }

  private finish(): void {
    this.finished = true;
    this.settle();
  }

  /** Calls back once PostgreSQL is done and no promise of onPage is pending. */
  private settle(): void {
    if (this.done || !this.finished || this.holding) return;
    this.done = true;
    this.callback(this.error, this.total);
  }
}
