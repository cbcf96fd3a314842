// SQL for alerting.silences.
import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { keysetPage, type CursorKey, type Page } from '@vigil/service-kit';
import type { Silence } from '../domain/silences.js';
import { prepared } from './statement.js';

type Db = Pool | PoolClient;
const iso = (v: unknown) => (v ? (v as Date).toISOString() : null);
const SILENCE_COLUMNS = 'id, tenant_id, matchers, starts_at, ends_at, until_resolved, created_by, comment, expired_at, created_at, updated_at, expired_by';

const toSilence = (r: Record<string, unknown>): Silence => ({
  id: r.id as string,
  matchers: r.matchers as string[],
  startsAt: iso(r.starts_at)!,
  endsAt: iso(r.ends_at),
  untilResolved: r.until_resolved as boolean,
  createdBy: r.created_by as string,
  comment: r.comment as string,
  expiredAt: iso(r.expired_at),
  expiredBy: (r.expired_by as string | null) ?? null,
  updatedAt: iso(r.updated_at)!,
});

export async function insertSilence(db: Db, tenantId: string, s: { matchers: string[]; startsAt: Date; endsAt: Date | null; untilResolved: boolean; createdBy: string; comment: string }): Promise<Silence> {
  const { rows } = await db.query(
    `INSERT INTO alerting.silences (id, tenant_id, matchers, starts_at, ends_at, until_resolved, created_by, comment) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
    [randomUUID(), tenantId, JSON.stringify(s.matchers), s.startsAt, s.endsAt, s.untilResolved, s.createdBy, s.comment],
  );
  return toSilence(rows[0]);
}

const sqlLiveSilences = prepared('live_silences', `SELECT ${SILENCE_COLUMNS} FROM alerting.silences WHERE tenant_id = $1 AND expired_at IS NULL AND (ends_at IS NULL OR ends_at > now()) ORDER BY created_at`);

/** Not expired and not ended; may not have started yet. */
export async function liveSilences(db: Db, tenantId: string): Promise<Silence[]> {
  const { rows } = await db.query(sqlLiveSilences([tenantId]));
  return rows.map(toSilence);
}

/** Newest first, a page: `after` is [created_at as text, id] of the previous page's last silence. */
export async function pageSilences(db: Db, tenantId: string, limit: number, after?: CursorKey): Promise<Page<Silence>> {
  const { rows } = await db.query(
    `SELECT *, created_at::text AS cursor_at FROM alerting.silences WHERE tenant_id = $1
       AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
     ORDER BY created_at DESC, id DESC LIMIT $2`,
    [tenantId, limit + 1, after?.[0] ?? null, after?.[1] ?? null],
  );
  return keysetPage(rows, limit, (r) => [r.cursor_at, r.id], toSilence);
}

export async function listSilences(db: Db, tenantId: string): Promise<Silence[]> {
  const { rows } = await db.query(`SELECT * FROM alerting.silences WHERE tenant_id = $1 ORDER BY created_at DESC LIMIT 500`, [tenantId]);
  return rows.map(toSilence);
}

export async function expireSilence(db: Db, tenantId: string, id: string, by?: string): Promise<Silence | undefined> {
  const { rows } = await db.query(
    `UPDATE alerting.silences SET expired_at = coalesce(expired_at, now()), expired_by = CASE WHEN expired_at IS NULL THEN $3 ELSE expired_by END,
            updated_at = CASE WHEN expired_at IS NULL THEN now() ELSE updated_at END
     WHERE tenant_id = $1 AND id = $2 RETURNING *`,
    [tenantId, id, by ?? null],
  );
  return rows[0] ? toSilence(rows[0]) : undefined;
}

export async function getSilence(db: Db, tenantId: string, id: string): Promise<Silence | undefined> {
  const { rows } = await db.query(`SELECT * FROM alerting.silences WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
  return rows[0] ? toSilence(rows[0]) : undefined;
}

/** An in-place update: window, author and comment (the Alertmanager API keeps matchers; the console may change them too). */
export async function updateSilence(
  db: Db,
  tenantId: string,
  id: string,
  s: { startsAt: Date; endsAt: Date | null; createdBy: string; comment: string; matchers?: string[]; untilResolved?: boolean },
): Promise<Silence | undefined> {
  const { rows } = await db.query(
    `UPDATE alerting.silences SET starts_at = $3, ends_at = $4, created_by = $5, comment = $6, matchers = coalesce($7::jsonb, matchers),
            until_resolved = coalesce($8, until_resolved), updated_at = now()
     WHERE tenant_id = $1 AND id = $2 AND expired_at IS NULL RETURNING *`,
    [tenantId, id, s.startsAt, s.endsAt, s.createdBy, s.comment, s.matchers ? JSON.stringify(s.matchers) : null, s.untilResolved ?? null],
  );
  return rows[0] ? toSilence(rows[0]) : undefined;
}
