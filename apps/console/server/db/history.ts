// SQL for console.event_history (partitioned by UTC day on occurred_at): day partitions, idempotent
// inserts, retention, and the timeline's reads. Every read is scoped by tenant_id.
import type pg from 'pg';
import { dayOf, type HistoryEntry, type Lane } from '../domain/history.js';
import type { Db } from './queryable.js';

const PARENT = 'console.event_history';
const MINUTES = 'console.event_history_minutes';
const PARTITION_LOCK = "hashtext('console.event_history.partitions')";

/** Partition suffixes (YYYYMMDD) that exist now. */
export async function listPartitions(db: Db): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = '${PARENT}'::regclass ORDER BY c.relname`,
  );
  return rows.flatMap((r) => (/^event_history_(\d{8})$/.exec(r.name) ? [r.name.slice(-8)] : []));
}

/** Creates the day partitions holding `days` that are missing; serialised so two consoles cannot race. */
export async function ensurePartitions(pool: pg.Pool, days: Date[]): Promise<string[]> {
  const wanted = new Map(days.map((d) => [dayOf(d).suffix, dayOf(d)]));
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT pg_advisory_xact_lock(${PARTITION_LOCK})`);
    const existing = new Set(await listPartitions(client));
    const created: string[] = [];
    for (const [suffix, day] of wanted) {
      if (existing.has(suffix)) continue;
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${PARENT}_${suffix} PARTITION OF ${PARENT} FOR VALUES FROM ('${day.start.toISOString()}') TO ('${day.end.toISOString()}')`,
      );
      created.push(suffix);
    }
    await client.query('COMMIT');
    return created;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

export async function dropPartition(db: Db, suffix: string): Promise<void> {
  if (!/^\d{8}$/.test(suffix)) throw new Error(`not a partition suffix: ${suffix}`);
  await db.query(`DROP TABLE IF EXISTS ${PARENT}_${suffix}`);
}

/**
 * Rows older than the cutoff in the partly expired day (whole days are dropped instead), and the minutes
 * before the cutoff's minute (that one minute keeps its total until the next purge: at most a minute's events).
 */
export async function deleteOlderThan(db: Db, cutoff: Date): Promise<number> {
  const { rowCount } = await db.query(`DELETE FROM ${PARENT} WHERE occurred_at < $1`, [cutoff]);
  await db.query(`DELETE FROM ${MINUTES} WHERE minute < to_timestamp(floor(extract(epoch FROM $1::timestamptz) / 60) * 60)`, [cutoff]);
  return rowCount ?? 0;
}

/**
 * Inserts the entries; an event already recorded (same id and time) is skipped. Returns how many were new.
 * The same statement adds the new ones (and only those) to the per-minute totals, in key order (two
 * consoles adding to the same minute take its row locks in one order).
 */
export async function insertEntries(db: Db, entries: HistoryEntry[]): Promise<number> {
  if (!entries.length) return 0;
  const col = <K extends keyof HistoryEntry>(k: K) => entries.map((e) => e[k]);
  const { rows } = await db.query<{ n: number }>(
    `WITH inserted AS (
       INSERT INTO ${PARENT} (event_id, occurred_at, tenant_id, type, source, lane, kind, severity, subject_id, title, value, link, data)
       SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::float8[], $12::text[], $13::jsonb[])
       ON CONFLICT DO NOTHING
       RETURNING tenant_id, occurred_at, lane, kind, severity, subject_id, value
     ), totals AS (
       INSERT INTO ${MINUTES} AS m (tenant_id, minute, lane, kind, severity, subject, count, min, max, sum)
       SELECT tenant_id, to_timestamp(floor(extract(epoch FROM occurred_at) / 60) * 60), lane, kind, severity,
              CASE WHEN kind = 'health.scored' THEN subject_id ELSE '' END, count(*), min(value), max(value), sum(value)
       FROM inserted GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
       ON CONFLICT (tenant_id, minute, lane, kind, severity, subject) DO UPDATE
       SET count = m.count + excluded.count, min = least(m.min, excluded.min), max = greatest(m.max, excluded.max),
           sum = CASE WHEN m.sum IS NULL THEN excluded.sum WHEN excluded.sum IS NULL THEN m.sum ELSE m.sum + excluded.sum END
     )
     SELECT count(*)::int AS n FROM inserted`,
    [
      col('eventId'),
      col('occurredAt'),
      col('tenantId'),
      col('type'),
      col('source'),
      col('lane'),
      col('kind'),
      col('severity'),
      col('subjectId'),
      col('title'),
      col('value'),
      col('link'),
      entries.map((e) => JSON.stringify(e.data)),
    ],
  );
  return rows[0]?.n ?? 0;
}

const COLUMNS = 'event_id, occurred_at, tenant_id, type, source, lane, kind, severity, subject_id, title, value, link, data';

function entryOf(r: Record<string, unknown>): HistoryEntry {
  return {
    eventId: r.event_id as string,
    occurredAt: (r.occurred_at as Date).toISOString(),
    tenantId: r.tenant_id as string,
    type: r.type as string,
    source: r.source as string,
    lane: r.lane as Lane,
    kind: r.kind as string,
    severity: r.severity as HistoryEntry['severity'],
    subjectId: r.subject_id as string,
    title: r.title as string,
    value: r.value === null ? null : Number(r.value),
    link: (r.link as string | null) ?? null,
    data: r.data as Record<string, unknown>,
  };
}

export interface Window {
  tenantId: string;
  from: Date;
  to: Date;
  lanes: readonly Lane[];
}

export interface BucketRow {
  lane: Lane;
  kind: string;
  severity: HistoryEntry['severity'];
  /** The database, for health scores (drawn one line per database); null for every other kind. */
  subject: string | null;
  bucket: number;
  count: number;
  min: number | null;
  max: number | null;
  sum: number | null;
}

/**
 * The bucket of a time column ($2 the window's start, $5 the bucket in ms). Float, not numeric, arithmetic and
 * the bucket first among the group keys: a fresh day's partition has no statistics yet, so the planner sorts to
 * group, and comparing integers first (and text only within a bucket) is what keeps that sort cheap.
 */
const BUCKET = (column: string) => `floor(extract(epoch FROM ${column} - $2::timestamptz)::float8 * 1000 / $5)::int`;

/**
 * Counts (and min/max/sum of value) per lane, kind, severity and time bucket of `bucketMs`, in one pass over
 * the window; health scores are kept apart per database (their min per bucket is the line). Only the
 * narrow columns are read: the payload (`data`) is never touched, so no row's jsonb is parsed here.
 */
export async function bucketCounts(db: Db, w: Window, bucketMs: number): Promise<BucketRow[]> {
  const { rows } = await db.query(
    `SELECT ${BUCKET('occurred_at')} AS bucket, lane, kind, severity, CASE WHEN kind = 'health.scored' THEN subject_id END AS subject,
            count(*)::int AS count, min(value) AS min, max(value) AS max, sum(value) AS sum
     FROM ${PARENT} WHERE tenant_id = $1 AND occurred_at >= $2 AND occurred_at < $3 AND lane = ANY($4::text[])
     GROUP BY 1, 2, 3, 4, 5`,
    [w.tenantId, w.from, w.to, w.lanes, bucketMs],
  );
  return rows.map(bucketRowOf);
}

const bucketRowOf = (r: Record<string, unknown>): BucketRow => ({
  lane: r.lane as Lane,
  kind: r.kind as string,
  severity: r.severity as HistoryEntry['severity'],
  subject: (r.subject as string | null) ?? null,
  bucket: r.bucket as number,
  count: r.count as number,
  min: r.min === null ? null : Number(r.min),
  max: r.max === null ? null : Number(r.max),
  sum: r.sum === null ? null : Number(r.sum),
});

/**
 * The same figures as bucketCounts, from the per-minute totals: exact when the window's ends and the bucket
 * size fall on whole minutes (every minute then lies in one bucket), which the caller checks.
 */
export async function minuteBucketCounts(db: Db, w: Window, bucketMs: number): Promise<BucketRow[]> {
  const { rows } = await db.query(
    `SELECT ${BUCKET('minute')} AS bucket, lane, kind, severity, CASE WHEN kind = 'health.scored' THEN subject END AS subject,
            sum(count)::int AS count, min(min) AS min, max(max) AS max, sum(sum) AS sum
     FROM ${MINUTES} WHERE tenant_id = $1 AND minute >= $2 AND minute < $3 AND lane = ANY($4::text[])
     GROUP BY 1, 2, 3, 4, 5`,
    [w.tenantId, w.from, w.to, w.lanes, bucketMs],
  );
  return rows.map(bucketRowOf);
}

/** Each database's name as its latest health score in the window gives it (one index probe per database). */
export async function healthNames(db: Db, w: Omit<Window, 'lanes'>, databaseIds: string[]): Promise<Map<string, string>> {
  if (!databaseIds.length) return new Map();
  const { rows } = await db.query(
    `SELECT s.id, (SELECT h.data->>'databaseName' FROM ${PARENT} h
                   WHERE h.tenant_id = $1 AND h.subject_id = s.id AND h.occurred_at >= $2 AND h.occurred_at < $3 AND h.lane = 'database' AND h.kind = 'health.scored'
                   ORDER BY h.occurred_at DESC LIMIT 1) AS name
     FROM unnest($4::text[]) AS s(id)`,
    [w.tenantId, w.from, w.to, databaseIds],
  );
  return new Map(rows.map((r) => [r.id as string, (r.name as string | null) ?? (r.id as string)]));
}

/** Discrete events of the window (series kinds left out), newest first, keyset-paged on (occurred_at, event_id). */
export async function listEvents(
  db: Db,
  w: Window & { kinds?: string[]; excludeKinds?: readonly string[] },
  page: { limit: number; before?: { at: Date; id: string } },
): Promise<HistoryEntry[]> {
  const params: unknown[] = [w.tenantId, w.from, w.to, w.lanes, w.excludeKinds ?? [], page.limit];
  let where = '';
  if (w.kinds?.length) {
    params.push(w.kinds);
    where += ` AND kind = ANY($${params.length}::text[])`;
  }
  if (page.before) {
    params.push(page.before.at, page.before.id);
    where += ` AND (occurred_at, event_id) < ($${params.length - 1}, $${params.length}::uuid)`;
  }
  const { rows } = await db.query(
    `SELECT ${COLUMNS} FROM ${PARENT}
     WHERE tenant_id = $1 AND occurred_at >= $2 AND occurred_at < $3 AND lane = ANY($4::text[]) AND NOT (kind = ANY($5::text[]))${where}
     ORDER BY occurred_at DESC, event_id DESC LIMIT $6`,
    params,
  );
  return rows.map(entryOf);
}

/** Every entry of a short window, oldest first (what-changed reads 15 minutes). */
export async function windowEntries(db: Db, w: Window & { kinds: readonly string[] }, limit: number): Promise<HistoryEntry[]> {
  const { rows } = await db.query(
    `SELECT ${COLUMNS} FROM ${PARENT} WHERE tenant_id = $1 AND occurred_at >= $2 AND occurred_at <= $3 AND lane = ANY($4::text[]) AND kind = ANY($5::text[])
     ORDER BY occurred_at, event_id LIMIT $6`,
    [w.tenantId, w.from, w.to, w.lanes, w.kinds, limit],
  );
  return rows.map(entryOf);
}

/** Per database, its last health scoring before `before` (looking back at most `lookbackMs`). */
export async function lastScoresBefore(db: Db, tenantId: string, before: Date, lookbackMs: number): Promise<HistoryEntry[]> {
  const { rows } = await db.query(
    `SELECT DISTINCT ON (subject_id) ${COLUMNS} FROM ${PARENT}
     WHERE tenant_id = $1 AND lane = 'database' AND kind = 'health.scored' AND occurred_at < $2 AND occurred_at >= $3
     ORDER BY subject_id, occurred_at DESC`,
    [tenantId, before, new Date(before.getTime() - lookbackMs)],
  );
  return rows.map(entryOf);
}

/** The first time the history saw this alert fire (its alertId is the entry's subject). */
export async function alertFiredAt(db: Db, tenantId: string, alertId: string): Promise<Date | undefined> {
  const { rows } = await db.query(
    `SELECT min(occurred_at) AS at FROM ${PARENT} WHERE tenant_id = $1 AND subject_id = $2 AND lane = 'alerts' AND kind = 'alert.firing'`,
    [tenantId, alertId],
  );
  return (rows[0]?.at as Date | null) ?? undefined;
}
