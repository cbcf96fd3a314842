// SQL for the RPO/RTO history: finished restores (verifications and drills) of a policy, oldest first, with
// the snapshot time of the backup each one restored. Keyset-paged on (finished_at, id).
import type { Pool, PoolClient } from 'pg';

type Queryable = Pick<Pool | PoolClient, 'query'>;

export interface FinishedRestore {
  verificationId: string;
  backupId: string;
  kind: 'verification' | 'drill';
  status: 'passed' | 'failed';
  finishedAt: Date;
  /** finished_at at microsecond precision (the cursor's key: a JS Date keeps only milliseconds). */
  finishedAtKey: string;
  rtoSeconds: number | null;
  verifiedRpoSeconds: number | null;
  snapshotAt: Date | null;
}

export async function finishedRestores(
  db: Queryable,
  q: { tenantId: string; policyId: string; since: Date; after?: { finishedAt: string; id: string }; limit: number },
): Promise<FinishedRestore[]> {
  const { rows } = await db.query(
    `SELECT v.id, v.backup_id, v.kind, v.status, v.finished_at, v.rto_seconds, v.verified_rpo_seconds, b.snapshot_at,
            to_char(v.finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS finished_at_key
       FROM dr.verifications v JOIN dr.backups b ON b.id = v.backup_id
      WHERE v.tenant_id = $1 AND v.policy_id = $2 AND v.finished_at IS NOT NULL AND v.finished_at >= $3
        AND ($4::timestamptz IS NULL OR (v.finished_at, v.id) > ($4::timestamptz, $5::uuid))
      ORDER BY v.finished_at, v.id
      LIMIT $6`,
    [q.tenantId, q.policyId, q.since, q.after?.finishedAt ?? null, q.after?.id ?? null, q.limit],
  );
  return rows.map((r) => ({
    verificationId: r.id as string,
    backupId: r.backup_id as string,
    kind: r.kind as FinishedRestore['kind'],
    status: r.status as FinishedRestore['status'],
    finishedAt: r.finished_at as Date,
    finishedAtKey: r.finished_at_key as string,
    rtoSeconds: (r.rto_seconds as number | null) ?? null,
    verifiedRpoSeconds: (r.verified_rpo_seconds as number | null) ?? null,
    snapshotAt: (r.snapshot_at as Date | null) ?? null,
  }));
}
