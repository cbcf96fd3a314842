// Progress of pg_dump (from --verbose lines, weighted by table size) and of pg_restore
// (items finished out of the `pg_restore -l` entries).

const DUMPING = /^pg_dump: dumping contents of table "(.+)\.(.+)"$/;
const DUMP_FINISHED = /^pg_dump: finished item \d+ TABLE DATA (.+)$/;

export class DumpProgress {
  private readonly sizeByName = new Map<string, number[]>();
  private readonly total: number;
  private done = 0;
  private readonly started: number[] = [];

  /** `tables`: every table in the dump with its size (bytes); `parallel` when -j > 1. */
  constructor(tables: { schema: string; name: string; bytes: number }[], private readonly parallel: boolean) {
    for (const t of tables) {
      const w = Math.max(1, t.bytes);
      this.sizeByName.set(t.name, [...(this.sizeByName.get(t.name) ?? []), w]);
    }
    this.total = tables.reduce((n, t) => n + Math.max(1, t.bytes), 0);
  }

  /** Feeds one stderr line; returns the new percentage when it moved. */
  line(l: string): number | undefined {
    const before = this.percent();
    const d = DUMPING.exec(l);
    if (d) {
      // Serial mode prints no "finished" line: starting a table finishes the one before.
      if (!this.parallel && this.started.length) this.done += this.started.pop()!;
      this.started.push(this.peek(d[2]!));
    }
    const f = DUMP_FINISHED.exec(l);
    if (f) this.done += this.take(f[1]!);
    const after = this.percent();
    return after !== before ? after : undefined;
  }

  percent(): number {
    if (!this.total) return 0;
    return Math.min(99, Math.floor((this.done / this.total) * 100));
  }

  private peek(name: string): number {
    return this.sizeByName.get(name)?.[0] ?? 0;
  }

  private take(name: string): number {
    const sizes = this.sizeByName.get(name);
    return sizes?.shift() ?? 0;
  }
}

const RESTORE_ITEM = /^pg_restore: (?:processing|finished) item (\d+) /;

export class RestoreProgress {
  private readonly seen = new Set<string>();
  constructor(private readonly totalEntries: number) {}

  line(l: string): number | undefined {
    const m = RESTORE_ITEM.exec(l);
    if (!m || this.seen.has(m[1]!)) return undefined;
    const before = this.percent();
    this.seen.add(m[1]!);
    const after = this.percent();
    return after !== before ? after : undefined;
  }

  percent(): number {
    if (!this.totalEntries) return 0;
    return Math.min(99, Math.floor((this.seen.size / this.totalEntries) * 100));
  }
}

/** Number of TOC entries in a `pg_restore -l` listing (comment lines start with ';'). */
export function countListEntries(listing: string): number {
  return listing.split('\n').filter((l) => l.trim() && !l.startsWith(';')).length;
}

/** Decides which progress values are worth an event: every `step` percent, and the end. */
export function crossesStep(previous: number, current: number, step: number): boolean {
  return Math.floor(current / step) > Math.floor(previous / step) || (current === 100 && previous !== 100);
}
