// SQL for errors.events (partitioned by month of received_at: db/event-partitions.ts) and errors.event_subjects.
import { keysetPage, type CursorKey, type Page } from '@vigil/service-kit';
import type { Pool, PoolClient } from 'pg';
import type { ProcessedEvent } from '../domain/normalise.js';
import { storableText } from '../domain/text.js';

/** Transaction-scoped lock on one project's processing (released at COMMIT or ROLLBACK). */
export async function lockProject(tx: PoolClient, projectId: string): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('errors.process'), hashtext($1))`, [projectId]);
}

/** Which of `ids` are stored already (in any month), or null when the project is gone: one round trip. */
export async function storedEventIds(tx: PoolClient, projectId: string, ids: string[]): Promise<Set<string> | null> {
  const { rows } = await tx.query(
    `SELECT EXISTS (SELECT 1 FROM errors.projects WHERE id = $1) AS project,
            ARRAY(SELECT event_id::text FROM errors.events WHERE event_id = ANY($2::uuid[])) AS ids`,
    [projectId, ids],
  );
  return rows[0].project ? new Set(rows[0].ids as string[]) : null;
}

// jsonb refuses NUL and lone surrogates, which JSON text may carry escaped: replace them
// with U+FFFD (rare, so only when the fast check finds a candidate escape). The payload is json
// (0006), which would keep them, but stays castable to jsonb this way.
const SUSPECT = /\\u(0000|d[89a-f][0-9a-f]{2})/i;
function jsonbSafe(v: unknown): string {
  const text = JSON.stringify(v);
  if (!text.includes('\\u') || !SUSPECT.test(text)) return text;
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'string' ? storableText(x) : x));
}

/** A processed event's payload as insertEvents stores it. */
export const storablePayload = (payload: Record<string, unknown>): string => jsonbSafe(payload);

export interface StoredEvent {
  event: ProcessedEvent;
  /** storablePayload(event.payload), serialised before the transaction. */
  payloadText: string;
  issueId: string;
  projectId: string;
  tenantId: string;
  receivedAt: Date;
}

const EVENT_COLS = 13;
const CHUNK = 1000;

export async function insertEvents(tx: PoolClient, list: StoredEvent[]): Promise<void> {
  if (!list.length) return;
  // One parameter per value rather than unnest over arrays: payloads go as they are,
  // without array-literal escaping.
  for (let from = 0; from < list.length; from += CHUNK) {
    const chunk = list.slice(from, from + CHUNK);
    const values = chunk.map((_, n) => {
      const p = (k: number) => `$${n * EVENT_COLS + k}`;
      return `(${p(1)}::uuid, ${p(2)}::bigint, ${p(3)}, ${p(4)}::bigint, ${p(5)}::timestamptz, ${p(6)}::timestamptz, ${p(7)}, ${p(8)}, ${p(9)}, ${p(10)}, ${p(11)}, ${p(12)}::jsonb, ${p(13)}::json)`;
    });
    await tx.query(
      `INSERT INTO errors.events (event_id, project_id, tenant_id, issue_id, received_at, occurred_at, level, release, environment, exception_type, user_ref, tags, payload)
       VALUES ${values.join(', ')} ON CONFLICT DO NOTHING`,
      chunk.flatMap((s) => [
        s.event.eventId,
        s.projectId,
        s.tenantId,
        s.issueId,
        s.receivedAt,
        s.event.occurredAt,
        s.event.level,
        s.event.release ?? null,
        s.event.environment ?? null,
        s.event.exceptionType ?? null,
        s.event.userRef ?? null,
        jsonbSafe(s.event.tags),
        s.payloadText,
      ]),
    );
  }
  const subjects = list.flatMap((s) => s.event.subjects.map((x) => ({ eventId: s.event.eventId, tenantId: s.tenantId, receivedAt: s.receivedAt, ...x })));
  if (subjects.length) {
    await tx.query(
      `INSERT INTO errors.event_subjects (event_id, tenant_id, id_type, ref, received_at)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[]) ON CONFLICT DO NOTHING`,
      [subjects.map((s) => s.eventId), subjects.map((s) => s.tenantId), subjects.map((s) => s.idType), subjects.map((s) => s.ref), subjects.map((s) => s.receivedAt)],
    );
  }
}

export interface EventSummary {
  eventId: string;
  receivedAt: string;
  occurredAt: string;
  level: string;
  release: string | null;
  environment: string | null;
  exceptionType: string | null;
  userRef: string | null;
  tags: Record<string, string>;
  payload?: Record<string, unknown>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const toEvent = (r: any, withPayload: boolean): EventSummary => ({
  eventId: (r.event_id as string).replace(/-/g, ''),
  receivedAt: r.received_at.toISOString(),
  occurredAt: r.occurred_at.toISOString(),
  level: r.level,
  release: r.release,
  environment: r.environment,
  exceptionType: r.exception_type,
  userRef: r.user_ref,
  tags: r.tags,
  ...(withPayload ? { payload: r.payload } : {}),
});

/** An issue's events, newest first; `before` is the cursor (`<iso>|<uuid>`) of the last page's last row. */
export async function listIssueEvents(
  pool: Pool,
  tenantId: string,
  issueId: string,
  limit: number,
  after?: CursorKey,
  withPayload = false,
): Promise<Page<EventSummary>> {
  const { rows } = await pool.query(
    `SELECT event_id, received_at, received_at::text AS cursor_at, occurred_at, level, release, environment, exception_type, user_ref, tags${withPayload ? ', payload' : ''}
       FROM errors.events
      WHERE tenant_id = $1 AND issue_id = $2 AND ($3::timestamptz IS NULL OR (received_at, event_id) < ($3::timestamptz, $4::uuid))
      ORDER BY received_at DESC, event_id DESC LIMIT $5`,
    [tenantId, issueId, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
  );
  return keysetPage(rows, limit, (r) => [r.cursor_at, r.event_id], (r) => toEvent(r, withPayload));
}
