// Test fixtures: source databases with real data, and an observer of the dr.* topics.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Registry } from 'prom-client';
import {
  BackupFinished,
  EventBus,
  OperationProgressed,
  RecoveryObjectiveBreached,
  SubjectRequestReceipt,
  VerificationFinished,
  catalog,
  type AnyEventDefinition,
  type Envelope,
} from '@vigil/events';

const SERVER = process.env.DR_TEST_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432';

export const serverUrl = (db: string) => `${SERVER}/${db}`;

export async function admin<T>(fn: (c: pg.Client) => Promise<T>, db = 'postgres'): Promise<T> {
  const c = new pg.Client({ connectionString: serverUrl(db) });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A fresh database with a realistic mix of objects and `rows` rows in its main table. */
export async function createSourceDb(label: string, rows = 20_000): Promise<string> {
  const name = `vigil_drsrc_${label}_${randomBytes(3).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  await admin(async (c) => {
    await c.query(`
      CREATE TYPE mood AS ENUM ('calm', 'busy', 'on-fire');
      CREATE SCHEMA billing;
      CREATE TABLE customers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL UNIQUE, mood mood NOT NULL DEFAULT 'calm',
                              score double precision, profile jsonb, avatar bytea, created_at timestamptz NOT NULL DEFAULT now());
      CREATE TABLE billing.invoices (id serial PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers (id), amount numeric(12, 2) NOT NULL CHECK (amount >= 0), due date);
      CREATE INDEX invoices_customer ON billing.invoices (customer_id, due);
      CREATE VIEW big_spenders AS SELECT customer_id, sum(amount) AS total FROM billing.invoices GROUP BY customer_id HAVING sum(amount) > 100;
      CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.due := coalesce(NEW.due, current_date); RETURN NEW; END $$;
      CREATE TRIGGER invoices_touch BEFORE INSERT ON billing.invoices FOR EACH ROW EXECUTE FUNCTION touch();
      CREATE TABLE empty_table (k text PRIMARY KEY);
    `);
    await c.query(
      `INSERT INTO customers (email, mood, score, profile, avatar)
       SELECT 'user' || g || '@example.com', (ARRAY['calm','busy','on-fire']::mood[])[1 + g % 3], g / 7.0, jsonb_build_object('n', g, 'tags', jsonb_build_array('a', g % 5)), decode(md5(g::text), 'hex')
       FROM generate_series(1, $1::int) g`,
      [rows],
    );
    await c.query(`INSERT INTO billing.invoices (customer_id, amount, due) SELECT 1 + g % $1::int, (g % 500) + 0.25, date '2026-01-01' + g % 365 FROM generate_series(1, $1::int * 2) g`, [rows]);
  }, name);
  return name;
}

export async function dropDb(name: string): Promise<void> {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

export type Seen = Envelope<Record<string, unknown>> & { topic: string };

/** Subscribes to the dr.* topics (and subject-request receipts) of the test's Kafka namespace and keeps what arrives. */
export async function observeDrEvents(brokers: string, namespace: string): Promise<{ events: Seen[]; bus: EventBus; stop: () => Promise<void> }> {
  const silent = { debug() {}, info() {}, warn() {}, error() {} };
  const bus = new EventBus({ brokers: brokers.split(','), service: `dr-observer-${randomBytes(3).toString('hex')}`, logger: silent, registry: new Registry(), namespace, partitions: 2 });
  const events: Seen[] = [];
  const defs: AnyEventDefinition[] = [BackupFinished, VerificationFinished, RecoveryObjectiveBreached, OperationProgressed, SubjectRequestReceipt];
  for (const def of defs) {
    bus.subscribe(def, async (e) => void events.push({ ...(e as Envelope<Record<string, unknown>>), topic: def.topic }), { fromBeginning: true });
  }
  // The bus waits until every partition has a leader before its consumers join.
  await bus.ensureTopics(catalog);
  await bus.start();
  return { events, bus, stop: () => bus.stop() };
}
