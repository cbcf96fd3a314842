// The month partitions processing writes into: created on demand (the retention task also keeps
// the previous, this and the next month), remembered once seen so a batch normally costs nothing.
import type { Pool } from 'pg';
import { ensureEventPartitions } from '../db/event-partitions.js';
import { monthOf } from '../domain/months.js';

export class EventMonths {
  private readonly known = new Set<string>();

  constructor(private readonly pool: Pool) {}

  async ensure(receivedAt: Iterable<Date>): Promise<void> {
    const missing = new Map<string, ReturnType<typeof monthOf>>();
    for (const at of receivedAt) {
      const m = monthOf(at);
      if (!this.known.has(m.suffix)) missing.set(m.suffix, m);
    }
    if (!missing.size) return;
    for (const suffix of await ensureEventPartitions(this.pool, [...missing.values()])) this.known.add(suffix);
  }
}
