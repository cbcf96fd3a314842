// SQL for console.setup_steps: one-time steps (the first-start seed) recorded once done.
import type { Db } from './queryable.js';

export async function stepDone(db: Db, name: string): Promise<boolean> {
  const { rowCount } = await db.query(`SELECT 1 FROM console.setup_steps WHERE name = $1`, [name]);
  return (rowCount ?? 0) > 0;
}

export async function markStepDone(db: Db, name: string, detail: Record<string, unknown> = {}): Promise<void> {
  await db.query(`INSERT INTO console.setup_steps (name, detail) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, [name, JSON.stringify(detail)]);
}
