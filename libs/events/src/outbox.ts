// Transactional outbox: an event is written in the same PostgreSQL transaction as the
// change it describes, then a relay moves it to Kafka. A crash in between loses nothing;
// a crash after sending but before deleting re-sends, which consumers dedupe by event id.
import type { Pool, PoolClient } from 'pg';
import type { Static, TSchema } from '@sinclair/typebox';
import type { Envelope, EventDefinition } from './define.js';
import { encodeWire, envelopeFrom, type WireMessage } from './codec.js';
import type { EventBus, EventLogger, PublishOptions } from './bus.js';
import { injectTraceHeaders } from './tracing.js';

type Queryable = Pick<PoolClient, 'query'>;

export interface OutboxOptions {
  pool: Pool;
  schema: string;
  bus: EventBus;
  logger: EventLogger;
  batchSize?: number;
  pollMs?: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]*$/;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Outbox {
  private readonly channel: string;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  /** A NOTIFY (or stop) arrived since the last pass: the next wait is skipped, so no wake-up is lost. */
  private poked = false;
  private listener?: PoolClient;
  private readonly batchSize: number;
  private readonly pollMs: number;

  constructor(private readonly o: OutboxOptions) {
    if (!SCHEMA_NAME.test(o.schema)) throw new Error(`invalid schema name ${o.schema}`);
    this.channel = `vigil_outbox_${o.schema}`;
    this.batchSize = o.batchSize ?? 500;
    this.pollMs = o.pollMs ?? 1_000;
  }

  /** Stores the event inside the caller's transaction (`tx` must be in BEGIN). */
  async enqueue<S extends TSchema>(tx: Queryable, def: EventDefinition<S>, data: Static<S>, opts: PublishOptions): Promise<Envelope<Static<S>>> {
    const envelope = envelopeFrom(def, data, opts, this.o.bus.service);
    await this.insert(tx, [encodeWire(def, envelope, injectTraceHeaders({ ...opts.headers }))], [envelope.id]);
    return envelope;
  }

  /** Same as enqueue for many events of one definition, in one INSERT; returns their envelopes. */
  async enqueueMany<S extends TSchema>(tx: Queryable, def: EventDefinition<S>, items: { data: Static<S>; opts: PublishOptions }[]): Promise<Envelope<Static<S>>[]> {
    if (!items.length) return [];
    const envelopes = items.map((i) => envelopeFrom(def, i.data, i.opts, this.o.bus.service));
    const trace = injectTraceHeaders({});
    await this.insert(
      tx,
      envelopes.map((e, n) => encodeWire(def, e, { ...trace, ...items[n]?.opts.headers })),
      envelopes.map((e) => e.id),
    );
    return envelopes;
  }

  /**
   * Same as enqueueMany, but returns the INSERT (and its NOTIFY) as one SQL statement with the
   * values inlined as escaped literals, for a caller that sends it with other statements of its
   * transaction in one multi-statement query (which takes no parameters): one round trip for all
   * of them. `tx` gives the connection's literal escaping.
   */
  enqueueManyStatement<S extends TSchema>(
    tx: Pick<PoolClient, 'escapeLiteral'>,
    def: EventDefinition<S>,
    items: { data: Static<S>; opts: PublishOptions }[],
  ): { envelopes: Envelope<Static<S>>[]; sql: string } {
    const envelopes = items.map((i) => envelopeFrom(def, i.data, i.opts, this.o.bus.service));
    if (!envelopes.length) return { envelopes, sql: 'SELECT' };
    const trace = injectTraceHeaders({});
    const lit = (v: string) => tx.escapeLiteral(v);
    const values = envelopes.map((e, n) => {
      const w = encodeWire(def, e, { ...trace, ...items[n]?.opts.headers });
      return `(${lit(e.id)}, ${lit(w.topic)}, ${lit(w.key)}, ${lit(w.value)}, ${lit(JSON.stringify(w.headers))})`;
    });
    const sql = `WITH stored AS (INSERT INTO ${this.o.schema}.outbox (event_id, topic, key, value, headers) VALUES ${values.join(', ')}) SELECT pg_notify(${lit(this.channel)}, '')`;
    return { envelopes, sql };
  }

  private async insert(tx: Queryable, wires: WireMessage[], ids: string[]): Promise<void> {
    // The NOTIFY rides on the INSERT (a data-modifying CTE always runs): one round trip; it is delivered on commit.
    await tx.query(
      `WITH stored AS (
         INSERT INTO ${this.o.schema}.outbox (event_id, topic, key, value, headers)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[])
       )
       SELECT pg_notify($6, '')`,
      [ids, wires.map((w) => w.topic), wires.map((w) => w.key), wires.map((w) => w.value), wires.map((w) => JSON.stringify(w.headers)), this.channel],
    );
  }

  /** Starts relaying: woken by NOTIFY on commit, with a poll as fallback. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.listen();
    this.loop = this.run();
  }

  private async listen(): Promise<void> {
    try {
      const client = await this.o.pool.connect();
      client.on('notification', () => this.poke());
      client.on('error', (err) => {
        this.o.logger.warn({ err }, 'outbox listener lost; polling until it reconnects');
        client.release(err);
        if (this.listener === client) this.listener = undefined;
      });
      await client.query(`LISTEN ${this.channel}`);
      this.listener = client;
    } catch (err) {
      this.o.logger.warn({ err }, 'outbox LISTEN failed; polling');
    }
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      this.poked = false;
      try {
        const sent = await this.relayOnce();
        failures = 0;
        if (sent === this.batchSize) continue;
      } catch (err) {
        failures++;
        this.o.logger.warn({ err: (err as Error).message, failures }, 'outbox relay failed; will retry');
      }
      if (!this.listener && this.running) await this.listen();
      const wait = failures ? Math.min(10_000, 200 * 2 ** Math.min(failures, 6)) : this.pollMs;
      await new Promise<void>((resolve) => {
        if (!this.running || (this.poked && !failures)) return resolve();
        const t = setTimeout(resolve, wait);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  private poke(): void {
    this.poked = true;
    this.wake?.();
  }

  /**
   * Relays one batch in order; returns how many rows were sent. Rows leave the table only after
   * Kafka acked them. `waitForLockMs` waits that long for another relay's batch to finish
   * (the final flush at shutdown) instead of giving up at once.
   */
  async relayOnce(o: { waitForLockMs?: number } = {}): Promise<number> {
    const client = await this.o.pool.connect();
    try {
      await client.query('BEGIN');
      // One relay per schema at a time keeps per-key order across service instances.
      if (!(await this.lock(client, o.waitForLockMs ?? 0))) {
        await client.query('ROLLBACK');
        return 0;
      }
      const { rows } = await client.query<{ seq: string; topic: string; key: string; value: string; headers: Record<string, string> }>(
        `SELECT seq, topic, key, value, headers FROM ${this.o.schema}.outbox ORDER BY seq LIMIT $1`,
        [this.batchSize],
      );
      if (!rows.length) {
        await client.query('COMMIT');
        this.o.bus.metrics.outboxPending.set({ schema: this.o.schema }, 0);
        return 0;
      }
      try {
        await this.o.bus.sendWire(rows);
      } catch (err) {
        await client.query(`UPDATE ${this.o.schema}.outbox SET attempts = attempts + 1, last_error = $2 WHERE seq = ANY($1::bigint[])`, [
          rows.map((r) => r.seq),
          String((err as Error).message).slice(0, 500),
        ]);
        await client.query('COMMIT');
        throw err;
      }
      await client.query(`DELETE FROM ${this.o.schema}.outbox WHERE seq = ANY($1::bigint[])`, [rows.map((r) => r.seq)]);
      await client.query('COMMIT');
      this.o.bus.metrics.outboxRelayed.inc({ schema: this.o.schema }, rows.length);
      this.o.bus.metrics.outboxPending.set({ schema: this.o.schema }, rows.length === this.batchSize ? this.batchSize : 0);
      return rows.length;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  private async lock(client: PoolClient, waitMs: number): Promise<boolean> {
    if (waitMs <= 0) {
      const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS ok', [this.channel]);
      return rows[0]?.ok === true;
    }
    await client.query(`SET LOCAL lock_timeout = ${Math.ceil(waitMs)}`);
    try {
      await client.query('SAVEPOINT relay_lock');
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [this.channel]);
      return true;
    } catch (err) {
      if ((err as { code?: string }).code !== '55P03') throw err; // lock_not_available: another relay kept it
      await client.query('ROLLBACK TO SAVEPOINT relay_lock');
      return false;
    }
  }

  /**
   * Stops the relay, then flushes what is left (rows written up to now) bounded by `timeoutMs`.
   * The bus's producer must still be connected: the kit closes the outbox before the producer.
   */
  async stop(timeoutMs = 5_000): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.poke();
    await this.loop;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      try {
        const sent = await this.relayOnce({ waitForLockMs: Math.min(2_000, deadline - Date.now()) });
        if (sent < this.batchSize) break;
      } catch (err) {
        this.o.logger.warn({ err: (err as Error).message }, 'final outbox flush failed; rows stay for the next start');
        break;
      }
      await sleep(0);
    }
    if (this.listener) {
      this.listener.release();
      this.listener = undefined;
    }
  }
}
