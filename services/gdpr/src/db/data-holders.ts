// SQL for gdpr.data_holders.
import type { Pool, PoolClient } from 'pg';

export interface DataHolderRow {
  service: string;
  categories: { category: string; tables: string[]; description: string }[];
  handles: string[];
  registeredAt: string;
}

export async function upsertDataHolder(tx: PoolClient, h: DataHolderRow): Promise<void> {
  // A registration older than the stored one (redelivered or reordered) does not win.
  await tx.query(
    `INSERT INTO gdpr.data_holders (service, categories, handles, registered_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (service) DO UPDATE SET categories = EXCLUDED.categories, handles = EXCLUDED.handles,
       registered_at = EXCLUDED.registered_at, updated_at = now()
     WHERE gdpr.data_holders.registered_at <= EXCLUDED.registered_at`,
    [h.service, JSON.stringify(h.categories), h.handles, h.registeredAt],
  );
}

export async function listDataHolders(pool: Pool | PoolClient): Promise<DataHolderRow[]> {
  const { rows } = await pool.query(`SELECT service, categories, handles, registered_at FROM gdpr.data_holders ORDER BY service`);
  return rows.map((r) => ({ service: r.service, categories: r.categories, handles: r.handles, registeredAt: r.registered_at.toISOString() }));
}

/** Services that must answer a request of this kind: erasure needs `erasure`, access and portability need `export`. */
export async function holdersFor(tx: PoolClient, kind: 'access' | 'erasure' | 'portability'): Promise<DataHolderRow[]> {
  const handle = kind === 'erasure' ? 'erasure' : 'export';
  const { rows } = await tx.query(`SELECT service, categories, handles, registered_at FROM gdpr.data_holders WHERE $1 = ANY(handles) ORDER BY service`, [handle]);
  return rows.map((r) => ({ service: r.service, categories: r.categories, handles: r.handles, registeredAt: r.registered_at.toISOString() }));
}
