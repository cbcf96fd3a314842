// SQL for console.preferences (one row per user; defaults when absent).
import type { Db } from './queryable.js';

export interface Preferences {
  theme: 'light' | 'dark' | 'auto';
  timezone: 'local' | 'utc';
  refreshSeconds: number;
}

export const DEFAULT_PREFERENCES: Preferences = { theme: 'auto', timezone: 'local', refreshSeconds: 30 };

export async function findPreferences(db: Db, userId: string): Promise<Preferences> {
  const { rows } = await db.query(`SELECT theme, timezone, refresh_seconds FROM console.preferences WHERE user_id = $1`, [userId]);
  const r = rows[0];
  return r ? { theme: r.theme, timezone: r.timezone, refreshSeconds: r.refresh_seconds } : { ...DEFAULT_PREFERENCES };
}

export async function savePreferences(db: Db, userId: string, p: Preferences): Promise<void> {
  await db.query(
    `INSERT INTO console.preferences (user_id, theme, timezone, refresh_seconds) VALUES ($1, $2, $3, $4)
     ON CONFLICT (user_id) DO UPDATE SET theme = $2, timezone = $3, refresh_seconds = $4, updated_at = now()`,
    [userId, p.theme, p.timezone, p.refreshSeconds],
  );
}
