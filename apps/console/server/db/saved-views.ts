// SQL for console.saved_views: a user's named searches of one area (e.g. an issue-stream filter) in one tenant.
import { randomUUID } from 'node:crypto';
import type { Db } from './queryable.js';

export interface SavedView {
  id: string;
  area: string;
  name: string;
  /** The view's URL query string (without `?`). */
  search: string;
  createdAt: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const toView = (r: any): SavedView => ({ id: r.id, area: r.area, name: r.name, search: r.search, createdAt: (r.created_at as Date).toISOString() });

export async function listSavedViews(db: Db, userId: string, tenantId: string, area: string): Promise<SavedView[]> {
  const { rows } = await db.query(
    `SELECT id, area, name, search, created_at FROM console.saved_views WHERE user_id = $1 AND tenant_id = $2 AND area = $3 ORDER BY lower(name), id LIMIT 200`,
    [userId, tenantId, area],
  );
  return rows.map(toView);
}

/** Saves under its name: a view with the same name is replaced. */
export async function upsertSavedView(db: Db, userId: string, tenantId: string, v: { area: string; name: string; search: string }): Promise<SavedView> {
  const { rows } = await db.query(
    `INSERT INTO console.saved_views (id, user_id, tenant_id, area, name, search) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (user_id, tenant_id, area, name) DO UPDATE SET search = excluded.search
     RETURNING id, area, name, search, created_at`,
    [randomUUID(), userId, tenantId, v.area, v.name, v.search],
  );
  return toView(rows[0]);
}

export async function deleteSavedView(db: Db, userId: string, tenantId: string, id: string): Promise<boolean> {
  const { rowCount } = await db.query(`DELETE FROM console.saved_views WHERE id = $1 AND user_id = $2 AND tenant_id = $3`, [id, userId, tenantId]);
  return (rowCount ?? 0) > 0;
}
