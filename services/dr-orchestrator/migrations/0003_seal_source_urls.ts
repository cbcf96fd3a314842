// Re-seals the stored source URLs from the service's own pre-kit format ("v1:iv:tag:body",
// AES-256-GCM under sha256("vigil-dr-source:" + DR_SOURCE_KEY)) into the kit's sealSecret
// format, so one secret format exists. Runs once, in its own transaction, with the config.
import { createDecipheriv, createHash } from 'node:crypto';
import type pg from 'pg';
import { isSealed, sealSecret, type MigrationContext } from '@vigil/service-kit';

/** Must equal SOURCE_URL_SECRET_CONTEXT in src/domain/source-url.ts (a migration does not import the app). Unqualified table names: the kit sets search_path to the service schema.. */
const CONTEXT = 'dr.source-url';

function openLegacy(sealed: string, secret: string): string {
  const [version, iv, tag, body] = sealed.split(':');
  if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('stored source URL has an unknown format');
  const key = createHash('sha256').update(`vigil-dr-source:${secret}`).digest();
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
}

export async function up(tx: pg.PoolClient, ctx: MigrationContext): Promise<void> {
  const key = ctx.config.DR_SOURCE_KEY;
  if (typeof key !== 'string' || !key) throw new Error('DR_SOURCE_KEY is needed to re-seal the stored source URLs');
  const { rows } = await tx.query<{ id: string; source_url_enc: string }>(`SELECT id, source_url_enc FROM policies WHERE source_url_enc <> '' FOR UPDATE`);
  let resealed = 0;
  for (const r of rows) {
    if (isSealed(r.source_url_enc)) continue;
    let url: string;
    try {
      url = openLegacy(r.source_url_enc, key);
    } catch {
      throw new Error(`the stored source URL of policy ${r.id} does not open with DR_SOURCE_KEY (was the key changed?)`);
    }
    await tx.query('UPDATE policies SET source_url_enc = $2 WHERE id = $1', [r.id, sealSecret(url, key, CONTEXT)]);
    resealed++;
  }
  ctx.log.info({ resealed }, 'source URLs re-sealed in the kit format');
}
