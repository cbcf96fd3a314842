// SQL for the trend buckets errors.issue_counts and errors.project_counts.
import type { Pool, PoolClient } from 'pg';
import type { Granularity, SeriesPoint } from '../domain/series.js';

export interface BucketIncrement {
  id: string;
  granularity: Granularity;
  bucket: Date;
  count: number;
}

/** Adds increments (already summed per id/granularity/bucket: one statement may touch a row once). */
export async function addCounts(tx: PoolClient, table: 'issue' | 'project', incs: BucketIncrement[]): Promise<void> {
  if (!incs.length) return;
  const [t, col] = table === 'issue' ? ['errors.issue_counts', 'issue_id'] : ['errors.project_counts', 'project_id'];
  await tx.query(
    `INSERT INTO ${t} (${col}, granularity, bucket, count) SELECT * FROM unnest($1::bigint[], $2::text[], $3::timestamptz[], $4::bigint[])
     ON CONFLICT (${col}, granularity, bucket) DO UPDATE SET count = ${t}.count + excluded.count`,
    [incs.map((i) => i.id), incs.map((i) => i.granularity), incs.map((i) => i.bucket), incs.map((i) => i.count)],
  );
}

/** Minute counts per issue since `from` (sparse: missing minutes had no events). */
export async function minuteCounts(tx: PoolClient, issueIds: string[], from: Date): Promise<Map<string, Map<number, number>>> {
  const { rows } = await tx.query(
    `SELECT issue_id, bucket, count FROM errors.issue_counts WHERE issue_id = ANY($1::bigint[]) AND granularity = 'minute' AND bucket >= $2`,
    [issueIds, from],
  );
  const out = new Map<string, Map<number, number>>();
  for (const r of rows) {
    const id = String(r.issue_id);
    const m = out.get(id) ?? new Map<number, number>();
    m.set((r.bucket as Date).getTime(), Number(r.count));
    out.set(id, m);
  }
  return out;
}

export async function series(pool: Pool, table: 'issue' | 'project', id: string, granularity: Granularity, from: Date): Promise<SeriesPoint[]> {
  const [t, col] = table === 'issue' ? ['errors.issue_counts', 'issue_id'] : ['errors.project_counts', 'project_id'];
  const { rows } = await pool.query(`SELECT bucket, count FROM ${t} WHERE ${col} = $1 AND granularity = $2 AND bucket >= $3 ORDER BY bucket`, [id, granularity, from]);
  return rows.map((r) => ({ bucket: (r.bucket as Date).toISOString(), count: Number(r.count) }));
}
