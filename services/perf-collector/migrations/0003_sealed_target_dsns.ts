// Target connection strings move from perf-collector's own AES-256-GCM layout (bytea: iv(12) |
// tag(16) | ciphertext, the raw 32-byte PERF_SECRET_KEY) to the platform's sealed format
// (`vs1:…`, sealSecret under PERF_SECRET_KEY with the context 'perf.target-dsn').
// A value the current key cannot open (the key was rotated earlier) stays unreadable: it is
// kept as `legacy-unopened:<base64>` so that re-registering the target is still the fix, and
// the old bytes are not lost should the old key turn up.
// Frozen in time: the old format and the context are written out here, not imported from src/.
import { createDecipheriv } from 'node:crypto';
import type pg from 'pg';
import { sealSecret } from '@vigil/privacy';
import type { MigrationContext } from '@vigil/service-kit';

const CONTEXT = 'perf.target-dsn';

function openLegacy(sealed: Buffer, hexKey: string): string {
  const key = Buffer.from(hexKey, 'hex');
  if (key.length !== 32) throw new Error('PERF_SECRET_KEY is not 64 hex characters');
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
  decipher.setAuthTag(sealed.subarray(12, 28));
  return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8');
}

export async function up(tx: pg.PoolClient, ctx: MigrationContext): Promise<void> {
  const key = ctx.config.PERF_SECRET_KEY;
  if (typeof key !== 'string' || !key) throw new Error('PERF_SECRET_KEY is needed to re-seal the stored connection strings');
  await tx.query(`ALTER TABLE perf.targets ADD COLUMN conn_sealed text`);
  const { rows } = await tx.query<{ id: string; conn_enc: Buffer }>(`SELECT id, conn_enc FROM perf.targets`);
  let unopened = 0;
  for (const row of rows) {
    let sealed: string;
    try {
      sealed = sealSecret(openLegacy(row.conn_enc, key), key, CONTEXT);
    } catch {
      unopened++;
      sealed = `legacy-unopened:${row.conn_enc.toString('base64')}`;
    }
    await tx.query(`UPDATE perf.targets SET conn_sealed = $2 WHERE id = $1`, [row.id, sealed]);
  }
  await tx.query(`ALTER TABLE perf.targets ALTER COLUMN conn_sealed SET NOT NULL, DROP COLUMN conn_enc`);
  if (rows.length) ctx.log.info({ targets: rows.length, unopened }, 'target connection strings re-sealed in the vs1 format');
  if (unopened) ctx.log.warn({ unopened }, 'some stored connection strings do not open with the current PERF_SECRET_KEY; register those targets again');
}
