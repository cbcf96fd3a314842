// The event history the timeline reads: recording batches of bus events (idempotent), retention,
// and the reads — the timeline of a window (aggregated into buckets), its events page by page, and
// what changed in the minutes before an alert.
import type pg from 'pg';
import type { Envelope } from '@vigil/events';
import { bucketCounts, deleteOlderThan, dropPartition, ensurePartitions, healthNames, insertEntries, lastScoresBefore, listEvents, listPartitions, minuteBucketCounts, windowEntries, type BucketRow } from '../db/history.js';
import { dayOf, expiredPartitions, historyEntryOf, LANES, onWholeMinutes, SERIES_KINDS, type HistoryEntry, type Lane } from '../domain/history.js';
import { whatChanged, type Change } from '../domain/what-changed.js';
import { projectForStream } from '../stream/projection.js';
import { badRequest } from '@vigil/service-kit';

const DAY = 86_400_000;
const NO_PARTITION = '23514'; // "no partition of relation found for row"

/** Records catalog events into the history; remembers which day partitions exist. */
export class HistoryRecorder {
  private readonly days = new Set<string>();
  constructor(
    private readonly pool: pg.Pool,
    private readonly retentionDays: number,
  ) {}

  /** Stores the timeline's events of a batch; returns how many were new (a redelivered event counts 0). */
  async record(events: Envelope[], now = new Date()): Promise<number> {
    const cutoff = now.getTime() - this.retentionDays * DAY;
    const entries = events.flatMap((e) => {
      const projected = projectForStream(e);
      const entry = projected && historyEntryOf(projected);
      // Older than the retention: it would be purged at once, and its day partition is gone.
      return entry && Date.parse(entry.occurredAt) >= cutoff ? [entry] : [];
    });
    if (!entries.length) return 0;
    try {
      await this.ensureDays(entries);
      return await insertEntries(this.pool, entries);
    } catch (err) {
      if ((err as { code?: string }).code !== NO_PARTITION) throw err;
      this.days.clear(); // another instance's retention dropped a day we thought existed
      await this.ensureDays(entries);
      return insertEntries(this.pool, entries);
    }
  }

  private async ensureDays(entries: HistoryEntry[]): Promise<void> {
    const missing = new Map<string, Date>();
    for (const e of entries) {
      const at = new Date(e.occurredAt);
      const { suffix } = dayOf(at);
      if (!this.days.has(suffix)) missing.set(suffix, at);
    }
    if (!missing.size) return;
    await ensurePartitions(this.pool, [...missing.values()]);
    for (const suffix of missing.keys()) this.days.add(suffix);
  }

  forget(suffixes: string[]): void {
    for (const x of suffixes) this.days.delete(x);
  }
}

/**
 * Retention: drops the day partitions wholly older than the cutoff, deletes the older rows of the
 * day the cutoff falls in, and creates today's and tomorrow's partitions ahead of their events.
 */
export async function purgeHistory(pool: pg.Pool, retentionDays: number, now = new Date()): Promise<{ droppedPartitions: string[]; deletedRows: number }> {
  const cutoff = new Date(now.getTime() - retentionDays * DAY);
  const dropped = expiredPartitions(await listPartitions(pool), cutoff);
  for (const suffix of dropped) await dropPartition(pool, suffix);
  const deletedRows = await deleteOlderThan(pool, cutoff);
  await ensurePartitions(pool, [now, new Date(now.getTime() + DAY)]);
  return { droppedPartitions: dropped, deletedRows };
}

// ---- reads

export const MAX_WINDOW_MS = 31 * DAY;
const MAX_BUCKETS = 1_000;
/** A lane with at most this many discrete events in the window gets them one by one, not only as counts. */
const MARKS_PER_LANE = 400;

export interface TimelineQuery {
  tenantId: string;
  from: Date;
  to: Date;
  lanes?: Lane[];
  buckets?: number;
}

export interface TimelineLane {
  lane: Lane;
  /** Discrete events per bucket, by severity: [ok, info, warning, critical]. */
  counts: [number, number, number, number][];
  total: number;
  /** Line series of the lane: health score per database (lowest per bucket), error events accepted per minute. */
  series: { key: string; label: string; unit: string; values: (number | null)[] }[];
  /** The lane's discrete events one by one when there are few enough (else only counts). */
  marks: { at: string; kind: string; severity: HistoryEntry['severity']; title: string; link: string | null; eventId: string }[];
  marksComplete: boolean;
}

export interface Timeline {
  from: string;
  to: string;
  bucketMs: number;
  /** Start of each bucket (ms since epoch). */
  times: number[];
  lanes: TimelineLane[];
  events: number;
}

const SEVERITY_INDEX = { ok: 0, info: 1, warning: 2, critical: 3 } as const;

export function checkWindow(from: Date, to: Date): void {
  if (!(from.getTime() < to.getTime())) throw badRequest('CONSOLE_WINDOW_INVALID', 'from must be before to');
  if (to.getTime() - from.getTime() > MAX_WINDOW_MS) throw badRequest('CONSOLE_WINDOW_INVALID', `to - from must be at most 31 days (the history keeps at most the retention)`);
}

export async function timeline(pool: pg.Pool, q: TimelineQuery): Promise<Timeline> {
  checkWindow(q.from, q.to);
  const lanes = q.lanes?.length ? q.lanes : [...LANES];
  const span = q.to.getTime() - q.from.getTime();
  const buckets = Math.min(MAX_BUCKETS, Math.max(10, q.buckets ?? 288));
  const bucketMs = Math.max(1_000, Math.ceil(span / buckets / 1_000) * 1_000);
  const n = Math.ceil(span / bucketMs);
  const w = { tenantId: q.tenantId, from: q.from, to: q.to, lanes };
  // A window on whole minutes (the web's 24 h and 7 day views) reads the per-minute totals, not every event.
  const rows = onWholeMinutes(q.from, q.to, bucketMs) ? await minuteBucketCounts(pool, w, bucketMs) : await bucketCounts(pool, w, bucketMs);
  const byLane = new Map<Lane, TimelineLane>(
    lanes.map((lane) => [lane, { lane, counts: Array.from({ length: n }, () => [0, 0, 0, 0] as [number, number, number, number]), total: 0, series: [], marks: [], marksComplete: true }]),
  );
  const errorRate: (number | null)[] = Array.from({ length: n }, () => null);
  /** The lowest health score per database and bucket (a drop stays visible however far zoomed out). */
  const healthLow = new Map<string, (number | null)[]>();
  let events = 0;
  for (const r of rows as BucketRow[]) {
    const lane = byLane.get(r.lane);
    if (!lane || r.bucket < 0 || r.bucket >= n) continue;
    events += r.count;
    if (r.kind === 'errors.accepted') {
      errorRate[r.bucket] = (errorRate[r.bucket] ?? 0) + (r.sum ?? 0);
      continue;
    }
    if (r.kind === 'health.scored') {
      // drawn as the score line
      if (r.subject === null || r.min === null) continue;
      let line = healthLow.get(r.subject);
      if (!line) healthLow.set(r.subject, (line = Array.from({ length: n }, () => null)));
      line[r.bucket] = Math.min(line[r.bucket] ?? Infinity, r.min);
      continue;
    }
    lane.counts[r.bucket]![SEVERITY_INDEX[r.severity]] += r.count;
    lane.total += r.count;
  }
  const errors = byLane.get('errors');
  // Per minute whatever the bucket, so the line reads the same at every zoom; a bucket without an accepted batch has no point.
  const perMinute = 60_000 / bucketMs;
  if (errors && errorRate.some((v) => v !== null)) errors.series.push({ key: 'error-events', label: 'error events/min', unit: 'per minute', values: errorRate.map((v) => (v === null ? null : Math.round(v * perMinute * 10) / 10)) });
  const database = byLane.get('database');
  if (database && healthLow.size) {
    const ids = [...healthLow.keys()].sort();
    const names = await healthNames(pool, w, ids);
    for (const id of ids) database.series.push({ key: `health:${id}`, label: `${names.get(id) ?? id} health`, unit: 'score', values: healthLow.get(id)! });
  }
  // Marks one by one for the lanes with few enough events.
  await Promise.all(
    [...byLane.values()].map(async (lane) => {
      if (!lane.total) return;
      if (lane.total > MARKS_PER_LANE) {
        lane.marksComplete = false;
        return;
      }
      const found = await listEvents(pool, { ...w, lanes: [lane.lane], excludeKinds: SERIES_KINDS }, { limit: MARKS_PER_LANE });
      lane.marks = found.reverse().map((e) => ({ at: e.occurredAt, kind: e.kind, severity: e.severity, title: e.title, link: e.link, eventId: e.eventId }));
    }),
  );
  return { from: q.from.toISOString(), to: q.to.toISOString(), bucketMs, times: Array.from({ length: n }, (_, i) => q.from.getTime() + i * bucketMs), lanes: [...byLane.values()], events };
}

export interface EventPage {
  items: { eventId: string; at: string; lane: Lane; kind: string; type: string; severity: HistoryEntry['severity']; title: string; link: string | null; subjectId: string }[];
  nextCursor: string | null;
}

const encodeCursor = (e: HistoryEntry) => Buffer.from(`${e.occurredAt}|${e.eventId}`).toString('base64url');
function decodeCursor(c: string): { at: Date; id: string } {
  const [at, id] = Buffer.from(c, 'base64url').toString().split('|');
  const date = new Date(at ?? '');
  if (!id || !/^[0-9a-f-]{36}$/i.test(id) || Number.isNaN(date.getTime())) throw badRequest('CONSOLE_CURSOR_INVALID', 'cursor is not one this endpoint returned');
  return { at: date, id };
}

/** The discrete events of a window, newest first (series kinds left out unless asked for by kind). */
export async function historyEvents(pool: pg.Pool, q: { tenantId: string; from: Date; to: Date; lanes?: Lane[]; kinds?: string[]; cursor?: string; limit: number }): Promise<EventPage> {
  checkWindow(q.from, q.to);
  const rows = await listEvents(
    pool,
    { tenantId: q.tenantId, from: q.from, to: q.to, lanes: q.lanes?.length ? q.lanes : LANES, kinds: q.kinds, excludeKinds: q.kinds?.length ? [] : SERIES_KINDS },
    { limit: q.limit + 1, before: q.cursor ? decodeCursor(q.cursor) : undefined },
  );
  const page = rows.slice(0, q.limit);
  return {
    items: page.map((e) => ({ eventId: e.eventId, at: e.occurredAt, lane: e.lane, kind: e.kind, type: e.type, severity: e.severity, title: e.title, link: e.link, subjectId: e.subjectId })),
    nextCursor: rows.length > q.limit ? encodeCursor(page[page.length - 1]!) : null,
  };
}

export const WHAT_CHANGED_MINUTES = 15;
const CHANGE_KINDS = ['issue.opened', 'issue.regressed', 'error.spike', 'query.slow', 'backup.failed', 'verification.failed', 'health.scored'];

/** What changed in the 15 minutes before `at` (an alert's start). */
export async function changesBefore(pool: pg.Pool, tenantId: string, at: Date, minutes = WHAT_CHANGED_MINUTES): Promise<{ from: string; to: string; items: Change[] }> {
  const from = new Date(at.getTime() - minutes * 60_000);
  // A little slack after the start: the health score or spike that raised the alert is stamped a moment later.
  const to = new Date(at.getTime() + 5_000);
  const [window, previous] = await Promise.all([
    windowEntries(pool, { tenantId, from, to, lanes: LANES, kinds: CHANGE_KINDS }, 5_000),
    lastScoresBefore(pool, tenantId, from, DAY),
  ]);
  return { from: from.toISOString(), to: at.toISOString(), items: whatChanged(window, new Map(previous.map((e) => [e.subjectId, e]))) };
}
