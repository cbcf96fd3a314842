// An answered send whose 'delivered' record fails to be written (a connection refused, a pool
// timeout under load) is not sent again: the record is retried until it lands, before the lease
// runs out. Written once and dropped on error, the row stayed 'sending', its lease ran out, and the
// next claim sent it a second time.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { describe, expect } from 'vitest';
import type { Outbox } from '@vigil/events';
import { enqueueNotifications } from '../src/db/notifications.js';
import { DeliveredMarks, Deliverer } from '../src/operations/deliver-notifications.js';
import { alertingTest } from './fixtures.js';
import { HttpSink } from './sink.js';

// Only the kit (a migrated database of its own): no app, so no other sender claims these rows.
const it = alertingTest('alertmarks');

const N = 12;
const LEASE_MS = 800;

describe('recording deliveries', () => {
  it('a failed write of the delivered mark is retried, and nothing is sent twice', { timeout: 60_000 }, async ({ kit }) => {
    const pool = new pg.Pool({ connectionString: kit.databaseUrl, max: 3 });
    const sink = await new HttpSink().start();
    try {
      const url = sink.url('/hook');
      await enqueueNotifications(
        pool,
        Array.from({ length: N }, (_, i) => {
          const key = randomUUID();
          return { tenantId: 'acme', receiver: 'hook', kind: 'webhook', targetKey: url, idempotencyKey: key, url, body: JSON.stringify({ i }), headers: { 'content-type': 'application/json', 'idempotency-key': key } };
        }),
      );
      // The marks' connection refuses its first writes (as PostgreSQL does at max_connections).
      let refusals = 3;
      const flaky: Pick<pg.Pool, 'query'> = {
        query: ((...args: Parameters<pg.Pool['query']>) =>
          refusals-- > 0 ? Promise.reject(Object.assign(new Error('sorry, too many clients already'), { code: '53300' })) : (pool.query as (...a: unknown[]) => unknown)(...args)) as pg.Pool['query'],
      };
      const errors: string[] = [];
      const log = { warn: () => undefined, error: (_o: object, msg?: string) => void errors.push(msg ?? '') };
      const deliverer = new Deliverer({
        marks: new DeliveredMarks(flaky as pg.Pool, log),
        pool,
        // Dead letters publish through the outbox; nothing here is dead-lettered.
        outbox: undefined as unknown as Outbox,
        log,
        options: { maxAttempts: 5, backoffBaseMs: 100, backoffMaxMs: 200, leaseMs: LEASE_MS, timeoutMs: 400, concurrency: 16 },
      });

      // Run the sender for three leases: long enough for any row left 'sending' to be claimed and sent again.
      const until = Date.now() + 3 * LEASE_MS;
      while (Date.now() < until) if ((await deliverer.step()) === 0) await new Promise((r) => setTimeout(r, 20));
      await deliverer.drain();

      expect(refusals).toBeLessThan(0); // the writes really were refused
      expect(errors.length).toBeGreaterThan(0);
      const keys = sink.on('/hook').map((r) => r.headers['idempotency-key']);
      expect(keys).toHaveLength(N);
      expect(new Set(keys).size).toBe(N);
      const { rows } = await pool.query(`SELECT state, attempts FROM alerting.notifications`);
      expect(rows).toHaveLength(N);
      expect(rows.every((r) => r.state === 'delivered' && r.attempts === 1)).toBe(true);
    } finally {
      await sink.close();
      await pool.end();
    }
  });
});
