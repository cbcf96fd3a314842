// SQL for console.report_render_tokens: issued with the report they may show, consumed once.
import type { Db } from './queryable.js';

export async function insertRenderToken(db: Db, hash: Buffer, tenantId: string, report: unknown, expiresAt: Date): Promise<void> {
  await db.query(`INSERT INTO console.report_render_tokens (token_hash, tenant_id, report, expires_at) VALUES ($1, $2, $3, $4)`, [hash, tenantId, JSON.stringify(report), expiresAt]);
}

/** Deletes the token and returns its report, if it exists and has not expired: a second use finds nothing. */
export async function consumeRenderToken(db: Db, hash: Buffer): Promise<{ tenantId: string; report: unknown } | undefined> {
  const { rows } = await db.query(`DELETE FROM console.report_render_tokens WHERE token_hash = $1 RETURNING tenant_id, report, expires_at > now() AS live`, [hash]);
  const r = rows[0];
  return r && r.live ? { tenantId: r.tenant_id as string, report: r.report } : undefined;
}

export async function deleteRenderToken(db: Db, hash: Buffer): Promise<void> {
  await db.query(`DELETE FROM console.report_render_tokens WHERE token_hash = $1 OR expires_at < now()`, [hash]);
}
