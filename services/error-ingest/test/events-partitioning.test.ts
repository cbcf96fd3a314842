// Migration 0004 partitions errors.events by month of received_at: migrate to just before it, insert
// events (one months old) with their subjects, migrate, and every row is in its month's partition with
// its subjects still linked. Retention then drops a month every project's retention has passed for,
// with its subjects, and deletes by filter the rows of a project whose retention is shorter.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { afterAll, beforeEach, describe, expect } from 'vitest';
import { eventsMigrations } from '@vigil/events';
import { createPool, migrate } from '@vigil/service-kit';
import { databaseTest, type TestKit } from '@vigil/service-kit/testing';
import { ensureEventPartitions, listEventPartitions } from '../src/db/event-partitions.js';
import { monthOf } from '../src/domain/months.js';
import { purgeExpired } from '../src/operations/purge-expired.js';

const MIGRATIONS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'migrations');
const DAY = 86_400_000;

// An empty database of its own: this file migrates it step by step.
const it = databaseTest({ label: 'errpart' });
let pool: pg.Pool;

beforeEach<{ kit: TestKit }>(async ({ kit }) => {
  pool ??= createPool(kit.databaseUrl, 2);
});

afterAll(async () => {
  await pool?.end();
});

async function project(retentionDays: number): Promise<{ projectId: string; issueId: string }> {
  const p = await pool.query(`INSERT INTO errors.projects (tenant_id, name, retention_days) VALUES ('acme', $1, $2) RETURNING id`, [`p-${randomUUID()}`, retentionDays]);
  const projectId = String(p.rows[0].id);
  const i = await pool.query(
    `INSERT INTO errors.issues (project_id, tenant_id, fingerprint, title, level, first_seen, last_seen) VALUES ($1, 'acme', 'fp', 'TypeError', 'error', now(), now()) RETURNING id`,
    [projectId],
  );
  return { projectId, issueId: String(i.rows[0].id) };
}

async function insertEvent(p: { projectId: string; issueId: string }, receivedAt: Date, withReceivedAtOnSubject: boolean): Promise<string> {
  const id = randomUUID();
  await pool.query(
    `INSERT INTO errors.events (event_id, project_id, tenant_id, issue_id, received_at, occurred_at, level, payload) VALUES ($1, $2, 'acme', $3, $4, $4, 'error', $5)`,
    [id, p.projectId, p.issueId, receivedAt, JSON.stringify({ message: `event ${id}` })],
  );
  if (withReceivedAtOnSubject) {
    await pool.query(`INSERT INTO errors.event_subjects (event_id, tenant_id, id_type, ref, received_at) VALUES ($1, 'acme', 'email', $2, $3)`, [id, `ref-${id}`, receivedAt]);
  } else {
    await pool.query(`INSERT INTO errors.event_subjects (event_id, tenant_id, id_type, ref) VALUES ($1, 'acme', 'email', $2)`, [id, `ref-${id}`]);
  }
  return id;
}

const partitionOf = async (eventId: string) => (await pool.query(`SELECT tableoid::regclass::text AS t FROM errors.events WHERE event_id = $1`, [eventId])).rows[0]?.t as string | undefined;
const subjectCount = async (eventId: string) => Number((await pool.query(`SELECT count(*) FROM errors.event_subjects WHERE event_id = $1`, [eventId])).rows[0].count);

describe('errors.events partitioned by month (migration 0004)', () => {
  const now = new Date();
  const old = new Date(now.getTime() - 200 * DAY);
  let before: { old: string; recent: string; p: { projectId: string; issueId: string } };

  it('moves existing events and their subjects into month partitions', async () => {
    const applied = await migrate(pool, { schema: 'errors', dir: MIGRATIONS, library: eventsMigrations, until: '0004' });
    expect(applied).toContain('0003_triage');
    expect(applied).not.toContain('0004_events_partitioned');
    const p = await project(90);
    before = { p, old: await insertEvent(p, old, false), recent: await insertEvent(p, now, false) };

    expect(await migrate(pool, { schema: 'errors', dir: MIGRATIONS, library: eventsMigrations })).toEqual(['0004_events_partitioned', '0005_payload_lz4', '0006_payload_json']);
    const kind = await pool.query(`SELECT relkind FROM pg_class WHERE oid = 'errors.events'::regclass`);
    expect(kind.rows[0].relkind).toBe('p');
    expect(await partitionOf(before.old)).toBe(`errors.events_${monthOf(old).suffix}`);
    expect(await partitionOf(before.recent)).toBe(`errors.events_${monthOf(now).suffix}`);
    const { rows } = await pool.query(`SELECT payload FROM errors.events WHERE event_id = $1`, [before.old]);
    expect(rows[0].payload).toEqual({ message: `event ${before.old}` });
    // 0006: payload is json, still lz4-compressed, on the parent and every partition (one created later too).
    await ensureEventPartitions(pool, [monthOf(new Date(now.getTime() + 70 * DAY))]);
    const cols = await pool.query<{ t: string; c: string }>(
      `SELECT atttypid::regtype::text AS t, attcompression::text AS c FROM pg_attribute
        WHERE attname = 'payload' AND attrelid IN (SELECT 'errors.events'::regclass UNION ALL SELECT inhrelid FROM pg_inherits WHERE inhparent = 'errors.events'::regclass)`,
    );
    expect(cols.rows.length).toBeGreaterThan(3);
    expect(cols.rows.every((r) => r.t === 'json' && r.c === 'l')).toBe(true);
    const suffixes = (await listEventPartitions(pool)).map((m) => m.suffix);
    expect(suffixes).toContain(monthOf(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1))).suffix);
    // Subjects carry their event's received_at and still go with it.
    const s = await pool.query(`SELECT received_at FROM errors.event_subjects WHERE event_id = $1`, [before.old]);
    expect((s.rows[0].received_at as Date).getTime()).toBe(old.getTime());
    const gone = await insertEvent(p, now, true);
    await pool.query(`DELETE FROM errors.events WHERE event_id = $1`, [gone]);
    expect(await subjectCount(gone)).toBe(0);
  });

  it('drops a month every project is done with, and deletes by filter for a shorter retention', async () => {
    // All projects keep at most 30 days: the 200-day-old month (and the empty ones after it that
    // ended before the cutoff) go whole, with their subjects.
    await pool.query(`UPDATE errors.projects SET retention_days = 30`);
    const short = await project(1);
    await ensureEventPartitions(pool, [monthOf(old)]);
    const shortOld = await insertEvent(short, new Date(now.getTime() - 3 * DAY), true);
    const shortNew = await insertEvent(short, now, true);

    const result = await purgeExpired(pool, undefined, now);
    expect(result.droppedMonths).toContain(monthOf(old).suffix);
    const cutoff = now.getTime() - 30 * DAY;
    expect((await listEventPartitions(pool)).every((m) => m.end.getTime() > cutoff)).toBe(true);
    expect(await partitionOf(before.old)).toBeUndefined();
    expect(await subjectCount(before.old)).toBe(0);
    // Within the 30 days: the 1-day project's 3-day-old event by the filtered delete, the rest stays.
    expect(result.deleted).toBe(1);
    expect(await partitionOf(shortOld)).toBeUndefined();
    expect(await subjectCount(shortOld)).toBe(0);
    expect(await partitionOf(shortNew)).toBe(`errors.events_${monthOf(now).suffix}`);
    expect(await partitionOf(before.recent)).toBe(`errors.events_${monthOf(now).suffix}`);
  });
});
